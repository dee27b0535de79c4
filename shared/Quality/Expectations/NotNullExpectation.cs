using System.Text.Json.Serialization;

namespace ToxicFunctions.Quality.Expectations;

/// <summary><c>not_null</c>: the column has a value in every row.</summary>
public sealed record NotNullExpectation : Expectation
{
    internal const string Kind = "not_null";

    /// <inheritdoc/>
    [JsonIgnore]
    public override string Type => Kind;

    internal override CompiledCheck Compile(CheckTarget target) =>
        new RowCheck(this, target, _ => $"{target.RequiredColumn.Quoted} IS NULL", "are null");
}
