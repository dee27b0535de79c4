using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Cli;

/// <summary><c>toxic s3-notify</c>: makes the S3 server push the raw bucket's ObjectCreated events to the ingestion webhook.</summary>
internal static class S3NotifyCommand
{
    public static Command Create()
    {
        var endpoint = new Option<string>("--endpoint")
        {
            Description = "The webhook that receives the events.",
            DefaultValueFactory = _ => "http://127.0.0.1:7071/api/s3/events",
        };
        endpoint.Validators.Add(result =>
        {
            if (!Uri.TryCreate(result.GetValueOrDefault<string>(), UriKind.Absolute, out _))
            {
                result.AddError("--endpoint must be an absolute URL, e.g. http://127.0.0.1:7071/api/s3/events");
            }
        });
        var bucket = new Option<string?>("--bucket") { Description = "The bucket; default: setting S3:RawBucket." };
        var topic = new Option<string>("--topic") { Description = "The notification topic name.", DefaultValueFactory = _ => "raw-ingest" };
        var command = new Command("s3-notify", "Create the raw bucket and push its ObjectCreated events to the S3Events function (Ceph radosgw topics).")
        {
            endpoint, bucket, topic,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var services = CliServices.Build();
            var objects = services.GetRequiredService<S3RawObjects>();
            var bucketName = parse.GetValue(bucket) ?? objects.RawBucket;
            await objects.EnsureBucketAsync(bucketName, cancellationToken);
            var arn = await services.GetRequiredService<S3NotificationSetup>()
                .ConfigureAsync(bucketName, parse.GetValue(topic)!, new Uri(parse.GetValue(endpoint)!), cancellationToken);
            Console.WriteLine($"s3://{bucketName} ObjectCreated events -> {arn} -> {parse.GetValue(endpoint)}");
            return 0;
        });
        return command;
    }
}
