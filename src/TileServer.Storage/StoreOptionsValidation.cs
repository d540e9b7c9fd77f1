namespace TileServer.Storage;

/// <summary>Checks <see cref="StoreOptions"/> once, reporting every problem with the setting to fix.</summary>
public static class StoreOptionsValidation
{
    public static IReadOnlyList<string> Validate(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Retry.MaxAttempts < 1)
        {
            errors.Add($"TileServer:Retry:MaxAttempts must be at least 1 (is {options.Retry.MaxAttempts})");
        }

        if (options.Retry.BaseDelay < TimeSpan.Zero)
        {
            errors.Add("TileServer:Retry:BaseDelay must not be negative");
        }

        if (options.Retry.MaxDelay < options.Retry.BaseDelay)
        {
            errors.Add("TileServer:Retry:MaxDelay must not be shorter than TileServer:Retry:BaseDelay");
        }

        if (options.Http.Timeout <= TimeSpan.Zero)
        {
            errors.Add("TileServer:Http:Timeout must be positive");
        }

        if (options.S3.Timeout <= TimeSpan.Zero)
        {
            errors.Add("TileServer:S3:Timeout must be positive");
        }

        if (string.IsNullOrEmpty(options.S3.AccessKey) != string.IsNullOrEmpty(options.S3.SecretKey))
        {
            errors.Add("TileServer:S3:AccessKey and TileServer:S3:SecretKey must be set together (or neither, to use the AWS credential chain)");
        }

        if (options.S3.Anonymous && !string.IsNullOrEmpty(options.S3.AccessKey))
        {
            errors.Add("TileServer:S3:Anonymous cannot be combined with TileServer:S3:AccessKey");
        }

        if (options.S3.ServiceUrl is { Length: > 0 } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"TileServer:S3:ServiceUrl must be an http(s) URL (is '{url}')");
        }

        if (options.MaxObjectBytes <= 0)
        {
            errors.Add("TileServer:MaxObjectBytes must be positive");
        }

        errors.AddRange(VirtualChunkContainer.Validate(options.VirtualChunkContainers));
        return errors;
    }
}
