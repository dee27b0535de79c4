using Amazon.Runtime;
using Amazon.S3;

namespace ToxicFunctions.Storage;

/// <summary>Builds an <see cref="AmazonS3Client"/> from <see cref="S3Options"/>.</summary>
public static class S3ClientFactory
{
    /// <summary>Creates the client.</summary>
    public static AmazonS3Client Create(S3Options options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            AuthenticationRegion = options.Region,
            // S3-compatible servers (radosgw, MinIO) reject the SDK's default chunked trailing checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
        }

        return string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }
}
