namespace TileServer.Storage;

public sealed class ByteStoreFactory : IByteStoreFactory
{
    private readonly StoreOptions _options;

    public ByteStoreFactory(StoreOptions options)
    {
        _options = options;
    }

    public IByteStore Open(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        if (location.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            return new FileStore(new Uri(location).LocalPath);
        }

        if (location.Contains("://", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"store location '{location}' uses a scheme this build cannot open yet");
        }

        _ = _options;
        return new FileStore(location);
    }
}
