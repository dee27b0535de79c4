using System.Text.Json.Serialization;

namespace ToxicFunctions.Quality.Expectations;

/// <summary>
/// One declared expectation. The JSON property <c>type</c> selects the kind; each kind compiles itself to SQL
/// against a <see cref="CheckTarget"/> whose identifiers were resolved in the catalog.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(NotNullExpectation), NotNullExpectation.Kind)]
[JsonDerivedType(typeof(AcceptedValuesExpectation), AcceptedValuesExpectation.Kind)]
[JsonDerivedType(typeof(UniqueExpectation), UniqueExpectation.Kind)]
[JsonDerivedType(typeof(RegexExpectation), RegexExpectation.Kind)]
[JsonDerivedType(typeof(TokenArrayExpectation), TokenArrayExpectation.Kind)]
[JsonDerivedType(typeof(RowCountExpectation), RowCountExpectation.Kind)]
[JsonDerivedType(typeof(ValueRatioExpectation), ValueRatioExpectation.Kind)]
[JsonDerivedType(typeof(FreshnessExpectation), FreshnessExpectation.Kind)]
public abstract record Expectation
{
    /// <summary>The expectation's id, unique in its suite.</summary>
    public required string Id { get; init; }

    /// <summary>Whether a failure stops the pipeline.</summary>
    public Severity Severity { get; init; } = Severity.Error;

    /// <summary>The relation checked; null: the suite's table.</summary>
    public string? Table { get; init; }

    /// <summary>The column that names failing rows; null: the suite's key.</summary>
    public string? Key { get; init; }

    /// <summary>The column checked (null for table-level kinds).</summary>
    public string? Column { get; init; }

    /// <summary>A human note for the report.</summary>
    public string? Description { get; init; }

    /// <summary>The kind's name as written in suite files.</summary>
    [JsonIgnore]
    public abstract string Type { get; }

    /// <summary>Whether the kind checks a column (and so needs <see cref="Column"/>).</summary>
    [JsonIgnore]
    internal virtual bool NeedsColumn => true;

    /// <summary>What is wrong with the declared parameters (empty when they are valid).</summary>
    internal virtual IEnumerable<string> Problems() => [];

    /// <summary>The SQL form of the check on its resolved target.</summary>
    internal abstract CompiledCheck Compile(CheckTarget target);
}
