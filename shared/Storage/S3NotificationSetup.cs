using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace ToxicFunctions.Storage;

/// <summary>
/// Points a bucket's ObjectCreated notifications at an HTTP endpoint, the way Ceph radosgw is configured: an
/// SNS-style topic with a <c>push-endpoint</c> (CreateTopic form POST), then PutBucketNotification naming its ARN.
/// </summary>
/// <remarks>
/// The topic is persistent: radosgw queues the events and retries delivery, so an upload does not wait for the
/// endpoint and nothing is lost while it is down. The SNS client package is not available here, and CreateTopic is a
/// single signed form POST, so it is signed (AWS Signature Version 4) in this file.
/// </remarks>
public sealed class S3NotificationSetup(IAmazonS3 s3, IOptions<S3Options> options, HttpClient http)
{
    /// <summary>Creates (or updates) the topic and subscribes <paramref name="bucket"/>'s ObjectCreated events to it.</summary>
    /// <returns>The topic ARN.</returns>
    public async Task<string> ConfigureAsync(string bucket, string topic, Uri endpoint, CancellationToken cancellationToken)
    {
        var topicArn = await CreateTopicAsync(topic, endpoint, cancellationToken);
        await s3.PutBucketNotificationAsync(
            new PutBucketNotificationRequest
            {
                BucketName = bucket,
                TopicConfigurations =
                [
                    new TopicConfiguration { Id = topic, Topic = topicArn, Events = [EventType.ObjectCreatedAll] },
                ],
            },
            cancellationToken);
        return topicArn;
    }

    private async Task<string> CreateTopicAsync(string topic, Uri endpoint, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var form = new Dictionary<string, string>
        {
            ["Action"] = "CreateTopic",
            ["Name"] = topic,
            ["Attributes.entry.1.key"] = "push-endpoint",
            ["Attributes.entry.1.value"] = endpoint.ToString(),
            ["Attributes.entry.2.key"] = "persistent",
            ["Attributes.entry.2.value"] = "true",
        };
        var body = string.Join('&', form.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var serviceUrl = new Uri(settings.ServiceUrl ?? throw new InvalidOperationException("S3:ServiceUrl is required for topic setup."));
        using var request = new HttpRequestMessage(HttpMethod.Post, serviceUrl)
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        SignV4(request, body, settings, DateTimeOffset.UtcNow);

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"CreateTopic {topic} failed: {(int)response.StatusCode} {text}");
        }

        var arn = XDocument.Parse(text).Descendants().FirstOrDefault(e => e.Name.LocalName == "TopicArn")?.Value;
        return arn ?? throw new InvalidOperationException($"CreateTopic {topic} returned no TopicArn: {text}");
    }

    private static void SignV4(HttpRequestMessage request, string body, S3Options settings, DateTimeOffset now)
    {
        const string service = "sns";
        var uri = request.RequestUri!;
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var payloadHash = Hex(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        var host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        request.Headers.Host = host;
        request.Headers.Add("x-amz-date", amzDate);
        request.Headers.Add("x-amz-content-sha256", payloadHash);

        const string signedHeaders = "content-type;host;x-amz-content-sha256;x-amz-date";
        var canonicalRequest = string.Join('\n',
            "POST",
            uri.AbsolutePath,
            "",
            "content-type:application/x-www-form-urlencoded",
            $"host:{host}",
            $"x-amz-content-sha256:{payloadHash}",
            $"x-amz-date:{amzDate}",
            "",
            signedHeaders,
            payloadHash);
        var scope = $"{date}/{settings.Region}/{service}/aws4_request";
        var stringToSign = string.Join('\n', "AWS4-HMAC-SHA256", amzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + settings.SecretKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(settings.Region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("aws4_request"));
        var signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.TryAddWithoutValidation(
            "Authorization", $"AWS4-HMAC-SHA256 Credential={settings.AccessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
