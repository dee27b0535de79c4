using ToxicFunctions.Pipeline;

namespace ToxicFunctions.Tests.Pipeline;

/// <summary>Model directory addresses back to their keys, as either store writes them (<see cref="Storage.ArtifactAddress"/>).</summary>
public sealed class ModelEvaluatorTests
{
    [Theory]
    [InlineData("s3://toxic-ml/models/toxic-comments/3f2a/", "models/toxic-comments/3f2a/")]
    [InlineData("s3://toxic-ml/models/toxic comments/3f2a", "models/toxic comments/3f2a/")]
    [InlineData("s3://toxic-ml/models/100%/a#b?c/", "models/100%/a#b?c/")]
    [InlineData("https://acct.blob.core.windows.net/toxic-ml/models/toxic-comments/3f2a/", "models/toxic-comments/3f2a/")]
    [InlineData("https://acct.blob.core.windows.net/toxic-ml/models/toxic%20comments/100%25/a%23b%3Fc", "models/toxic comments/100%/a#b?c/")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/toxic-ml/models/toxic-comments/3f2a/", "models/toxic-comments/3f2a/")]
    public void The_prefix_is_the_key_as_written(string uri, string prefix) => Assert.Equal(prefix, ModelEvaluator.PrefixOf(uri));

    [Theory]
    [InlineData("https://toxic-ml/models/x/")]
    [InlineData("s3://toxic-ml")]
    [InlineData("s3://toxic-ml/")]
    [InlineData("s3:///models/x/")]
    [InlineData("https://acct.blob.core.windows.net/toxic-ml")]
    [InlineData("https://acct.blob.core.windows.net/toxic-ml/")]
    [InlineData("ftp://acct.blob.core.windows.net/toxic-ml/models/x/")]
    [InlineData("models/x/")]
    public void Other_addresses_are_refused(string uri) => Assert.Throws<FormatException>(() => ModelEvaluator.PrefixOf(uri));

    [Theory]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/reports/validations/1/index.html", "reports", "validations/1/index.html")]
    [InlineData("https://acct.blob.core.windows.net/toxic-ml/models/x/runs/1/", "toxic-ml", "models/x/runs/1/")]
    [InlineData("s3://toxic-ml/models/x/runs/1/", "toxic-ml", "models/x/runs/1/")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/test-ml-5950b39518df4f59/models/toxic-comments/runs/e4846165a2ca53158396b80d7e2f1a99/", "test-ml-5950b39518df4f59", "models/toxic-comments/runs/e4846165a2ca53158396b80d7e2f1a99/")]
    public void An_address_names_its_bucket_and_its_key_as_written(string uri, string bucket, string key) =>
        Assert.Equal((bucket, key), Storage.ArtifactAddress.Parse(uri));
}
