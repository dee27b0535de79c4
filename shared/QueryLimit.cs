using System.Globalization;

namespace ToxicFunctions;

/// <summary>The <c>?limit=N</c> of the list endpoints: a whole number from 1 to <see cref="Max"/>, a default when absent.</summary>
public static class QueryLimit
{
    /// <summary>The largest limit a list endpoint accepts.</summary>
    public const int Max = 1000;

    /// <summary>The error message for a limit that is not one.</summary>
    public const string Error = "limit must be a whole number from 1 to 1000.";

    /// <summary>Reads <paramref name="text"/> (null or empty: <paramref name="defaultLimit"/>); false when it is not a limit.</summary>
    public static bool TryParse(string? text, int defaultLimit, out int limit)
    {
        limit = defaultLimit;
        return string.IsNullOrEmpty(text)
            || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= Max);
    }
}
