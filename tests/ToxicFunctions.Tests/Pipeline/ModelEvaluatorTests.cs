using ToxicFunctions.Pipeline;

namespace ToxicFunctions.Tests.Pipeline;

/// <summary>Model directory addresses back to their keys.</summary>
public sealed class ModelEvaluatorTests
{
    [Theory]
    [InlineData("s3://toxic-ml/models/toxic-comments/3f2a/", "models/toxic-comments/3f2a/")]
    [InlineData("s3://toxic-ml/models/toxic comments/3f2a", "models/toxic comments/3f2a/")]
    [InlineData("s3://toxic-ml/models/100%/a#b?c/", "models/100%/a#b?c/")]
    public void The_prefix_is_the_key_as_written(string uri, string prefix) => Assert.Equal(prefix, ModelEvaluator.PrefixOf(uri));

    [Theory]
    [InlineData("https://toxic-ml/models/x/")]
    [InlineData("s3://toxic-ml")]
    [InlineData("s3://toxic-ml/")]
    public void Other_addresses_are_refused(string uri) => Assert.Throws<FormatException>(() => ModelEvaluator.PrefixOf(uri));
}
