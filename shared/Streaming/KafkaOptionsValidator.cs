using Microsoft.Extensions.Options;

namespace ToxicFunctions.Streaming;

/// <summary>Checks the Kafka security settings when the options are first used (at start with ValidateOnStart).</summary>
public sealed class KafkaOptionsValidator : IValidateOptions<KafkaOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, KafkaOptions options)
    {
        var errors = KafkaSecurity.Validate(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
