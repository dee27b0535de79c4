using Npgsql;

namespace ToxicFunctions.Quality.Expectations;

/// <summary>Positional parameters ($1, $2, ...) of one query: values from the suite file never enter SQL text.</summary>
internal sealed class SqlParameters
{
    private readonly List<object> _values = [];

    public IReadOnlyList<object> Values => _values;

    /// <summary>Adds a value and returns its placeholder.</summary>
    public string Add(object value)
    {
        _values.Add(value);
        return $"${_values.Count}";
    }

    public void ApplyTo(NpgsqlCommand command)
    {
        foreach (var value in _values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
    }
}
