using TileServer.Storage;

namespace TileServer.Icechunk;

/// <summary>
/// A place virtual chunks may be read from: a reference whose URL starts with <see cref="Prefix"/> is read
/// from <see cref="Location"/> followed by the rest of the URL. Configured as
/// <c>TileServer:VirtualChunks:Containers</c>.
/// </summary>
public sealed record VirtualChunkContainer
{
    /// <summary>A URL prefix ending in '/', e.g. <c>s3://bucket/path/</c>.</summary>
    public required string Prefix { get; init; }

    /// <summary>A local folder, <c>http(s)://</c> or <c>s3://</c> location that holds the same objects.</summary>
    public required string Location { get; init; }

    /// <summary>Every problem with a list of containers, each saying how to fix it; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<VirtualChunkContainer> containers)
    {
        ArgumentNullException.ThrowIfNull(containers);
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < containers.Count; i++)
        {
            var c = containers[i];
            string at = $"TileServer:VirtualChunks:Containers:{i}";
            if (string.IsNullOrWhiteSpace(c.Prefix) || !StoreLocation.HasScheme(c.Prefix) || !c.Prefix.EndsWith('/'))
            {
                errors.Add($"{at}:Prefix '{c.Prefix}' must be a URL prefix with a scheme that ends in '/' (e.g. s3://bucket/path/), so that it cannot match a neighbouring bucket or folder");
            }
            else if (!seen.Add(c.Prefix))
            {
                errors.Add($"{at}:Prefix '{c.Prefix}' is configured twice");
            }

            if (string.IsNullOrWhiteSpace(c.Location))
            {
                errors.Add($"{at}:Location is empty; give a local folder, http(s):// or s3:// location");
            }
        }

        return errors;
    }
}

/// <summary>
/// Reads virtual chunks, but only from configured containers: a stored reference is data, and the server
/// must never fetch an arbitrary URL because a repository names it. One store is opened per container and
/// shared by every repository that uses it.
/// </summary>
public sealed class VirtualChunkResolver
{
    private readonly (VirtualChunkContainer Container, Lazy<IByteStore> Store)[] _containers;

    public VirtualChunkResolver(IReadOnlyList<VirtualChunkContainer> containers, IByteStoreFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var errors = VirtualChunkContainer.Validate(containers);
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid virtual chunk containers: " + string.Join("; ", errors), nameof(containers));
        }

        // Longest prefix first, so that a container for s3://b/a/x/ wins over one for s3://b/a/.
        _containers = containers
            .OrderByDescending(c => c.Prefix.Length)
            .Select(c => (c, new Lazy<IByteStore>(() => factory.Open(c.Location), LazyThreadSafetyMode.ExecutionAndPublication)))
            .ToArray();
    }

    /// <summary>A resolver that refuses every virtual chunk.</summary>
    public static VirtualChunkResolver None { get; } = new([], new RefusingFactory());

    /// <summary>
    /// Reads <paramref name="range"/> of the chunk stored at bytes [offset, offset+length) of <paramref name="url"/>.
    /// <paramref name="location"/> and <paramref name="key"/> name the Icechunk store and chunk key for errors.
    /// </summary>
    /// <exception cref="VirtualChunkRefusedException">No container covers the URL.</exception>
    public async ValueTask<byte[]> ReadAsync(string url, ulong offset, ulong length, ByteRange? range, string location, string key, CancellationToken cancellationToken)
    {
        foreach (var (container, store) in _containers)
        {
            if (!url.StartsWith(container.Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            string objectKey = url[container.Prefix.Length..];
            if (objectKey.Length == 0 || objectKey.Split('/').Any(s => s is "." or ".."))
            {
                throw new VirtualChunkRefusedException(location, key, url);
            }

            var window = ChunkWindow.Within(offset, length, range, location, key);
            var bytes = await store.Value.GetAsync(objectKey, window, cancellationToken).ConfigureAwait(false)
                ?? throw new StoreException(location, key, $"virtual chunk object '{url}' does not exist in container '{container.Prefix}'");
            if (window is { IsSuffix: false } w && bytes.Length != w.Length)
            {
                throw new IcechunkFormatException(location, key, $"virtual chunk '{url}' is shorter than its reference says ({bytes.Length} of {w.Length} bytes at offset {w.Start})");
            }

            return bytes;
        }

        throw new VirtualChunkRefusedException(location, key, url);
    }

    private sealed class RefusingFactory : IByteStoreFactory
    {
        public IByteStore Open(string location) => throw new InvalidOperationException("no virtual chunk containers are configured");
    }
}
