using System.CommandLine;

namespace ToxicFunctions.Cli;

/// <summary>The <c>--no-progress</c> flag of the commands that show a <see cref="ProgressLine"/>.</summary>
internal static class ProgressOption
{
    public static Option<bool> Create() => new("--no-progress")
    {
        Description = "Show no progress line on stderr (it is shown only when stderr is a terminal and TERM is not dumb).",
    };
}
