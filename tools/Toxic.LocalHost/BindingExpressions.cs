namespace ToxicFunctions.LocalHost;

/// <summary>
/// Binding expressions in trigger attributes as the Functions host resolves them: a value written <c>%name%</c> is the
/// app setting of that name; anything else is taken as written.
/// </summary>
internal static class BindingExpressions
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
}
