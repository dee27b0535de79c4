using System.Text.RegularExpressions;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// Binding expressions in trigger attributes as the Functions host resolves them: a value written <c>%name%</c> is the
/// app setting of that name; anything else is taken as written.
/// </summary>
internal static partial class BindingExpressions
{
    /// <summary>Resolves <paramref name="declared"/>.</summary>
    /// <param name="declared">The attribute's value, for example <c>%Pipeline:Schedule%</c>.</param>
    /// <param name="configuration">The settings.</param>
    /// <param name="what">What the value is, for the error message (for example "The timer schedule").</param>
    /// <exception cref="InvalidOperationException">A <c>%name%</c> whose setting is not set or empty.</exception>
    public static string Resolve(string declared, IConfiguration configuration, string what)
    {
        if (declared.Length <= 2 || declared[0] != '%' || declared[^1] != '%')
        {
            return declared;
        }

        var setting = declared[1..^1];
        return configuration[setting] is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{what} '{declared}' names setting {setting}, which is not set.");
    }

    /// <summary>
    /// Resolves a connection value as the Kafka extension does (its ResolveSecureSetting): every <c>%name%</c> in the
    /// text is replaced by that setting; then, when the result is the name of an app setting (or of a connection
    /// string), that value is taken, else the result itself.
    /// </summary>
    /// <param name="declared">The attribute's value; null or blank gives null.</param>
    /// <param name="configuration">The settings.</param>
    /// <param name="what">What the value is, for the error message.</param>
    /// <exception cref="InvalidOperationException">A <c>%name%</c> whose setting is not set or empty.</exception>
    public static string? ResolveSecureSetting(string? declared, IConfiguration configuration, string what)
    {
        if (string.IsNullOrWhiteSpace(declared))
        {
            return null;
        }

        var resolved = Percent().Replace(declared, m => configuration[m.Groups[1].Value] is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{what} '{declared}' names setting {m.Groups[1].Value}, which is not set."));
        return configuration[resolved] is { Length: > 0 } setting ? setting
            : configuration.GetConnectionString(resolved) is { Length: > 0 } connection ? connection
            : resolved;
    }

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Percent();
}
