namespace ToxicFunctions.Tests.Deploy;

/// <summary>The checkout the tests run from.</summary>
internal static class Repository
{
    private static readonly Lazy<string> s_root = new(Locate);

    /// <summary>The repository root (the folder holding ToxicFunctions.sln).</summary>
    public static string Root => s_root.Value;

    /// <summary>A path under the root, from '/'-separated parts.</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ToxicFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ToxicFunctions.sln not found above {AppContext.BaseDirectory}");
    }
}
