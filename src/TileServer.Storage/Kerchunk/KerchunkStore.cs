using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace TileServer.Storage.Kerchunk;

/// <summary>
/// A virtual store described by a kerchunk reference file: each key is inline bytes or a byte range inside
/// another object (typically a chunk inside a NetCDF4/HDF5 file) on any store the factory can open, so
/// archives of NetCDF are served as Zarr without conversion. The reference file is read once, on first
/// use, through the same stores (and so the same retries); a failed load is tried again on the next read.
/// References inside the reference file's folder are read as they are; any other (an absolute URL or path elsewhere)
/// only through a configured <see cref="VirtualChunkContainer"/>, else it is refused when read: a reference file must
/// not make the server fetch an arbitrary URL.
/// </summary>
public sealed class KerchunkStore : IListableByteStore
{
    private readonly IByteStoreFactory _factory;
    private readonly string _referenceLocation;
    private readonly long _maxReferenceBytes;
    private readonly VirtualChunkContainers _containers;
    private readonly string? _folder;
    private readonly bool _trustsEveryReference;
    private readonly ConcurrentDictionary<string, IByteStore> _targets = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private Task<IReadOnlyDictionary<string, ChunkReference>>? _references;

    /// <param name="referenceLocation">Location of the reference JSON itself (path, file://, http(s)://, s3://).</param>
    /// <param name="factory">Opens the stores that hold the reference file and the referenced objects.</param>
    /// <param name="containers">Where references outside the reference file's folder may point; null = nowhere.</param>
    public KerchunkStore(string referenceLocation, IByteStoreFactory factory, long maxReferenceBytes, VirtualChunkContainers? containers = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(referenceLocation);
        ArgumentNullException.ThrowIfNull(factory);
        _referenceLocation = referenceLocation;
        _factory = factory;
        _maxReferenceBytes = maxReferenceBytes;
        _containers = containers ?? VirtualChunkContainers.None;
        _folder = FolderOf(referenceLocation);
        Location = "reference://" + referenceLocation;
    }

    /// <summary>
    /// A store over references already parsed (e.g. built in memory by the caller, who vouches for every URL in them);
    /// targets open through <paramref name="factory"/>.
    /// </summary>
    public KerchunkStore(string location, IReadOnlyDictionary<string, ChunkReference> references, IByteStoreFactory factory)
    {
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(factory);
        _referenceLocation = location;
        _factory = factory;
        _references = Task.FromResult(references);
        _containers = VirtualChunkContainers.None;
        _trustsEveryReference = true;
        Location = location;
    }

    public string Location { get; }

    public async ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var references = await GetReferencesAsync(cancellationToken).ConfigureAwait(false);
        if (!references.TryGetValue(key, out var reference))
        {
            return null;
        }

        if (reference.Inline is { } inline)
        {
            return RangeMath.TryResolve(range, inline.Length, out long s, out long n)
                ? inline.AsSpan((int)s, (int)n).ToArray()
                : null;
        }

        string url = reference.Url!;
        var (target, name) = Target(url, key);
        byte[]? data;
        long expected = -1;
        try
        {
            if (reference.IsWholeObject)
            {
                data = await target.GetAsync(name, range, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                if (!RangeMath.TryResolve(range, reference.Length, out long start, out long length))
                {
                    return null;
                }

                if (length == 0)
                {
                    return [];
                }

                expected = length;
                data = await target.GetAsync(name, ByteRange.FromOffset(reference.Offset + start, length), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (StoreException ex)
        {
            throw new StoreException(Location, key, $"cannot read referenced '{url}': {ex.Message}", ex);
        }

        if (data is null)
        {
            // The reference promises data; silently serving fill values for it would hide a broken archive.
            throw new StoreException(Location, key, $"referenced object '{url}' does not exist or does not reach offset {reference.Offset}");
        }

        if (expected >= 0 && data.Length != expected)
        {
            throw new StoreException(Location, key, $"referenced range {reference.Offset}+{reference.Length} of '{url}' runs past the end of the object (got {data.Length} of {expected} bytes)");
        }

        return data;
    }

    /// <summary>The keys the reference file defines.</summary>
    public async IAsyncEnumerable<string> ListKeysAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var references = await GetReferencesAsync(cancellationToken).ConfigureAwait(false);
        foreach (var key in references.Keys)
        {
            yield return key;
        }
    }

    /// <summary>The store and key of a referenced object: beside the reference file, or in a configured container.</summary>
    private (IByteStore Store, string Key) Target(string url, string key)
    {
        if (_trustsEveryReference || (_folder is not null && StoreLocation.IsWithin(_folder, url)))
        {
            var (folder, name) = StoreLocation.Split(url);
            return (OpenTarget(folder, key), name);
        }

        return _containers.TryResolve(url, out var store, out var objectKey)
            ? (store, objectKey)
            : throw new VirtualChunkRefusedException(Location, key, url);
    }

    private static string? FolderOf(string referenceLocation)
    {
        try
        {
            return StoreLocation.Split(referenceLocation).Parent;
        }
        catch (ArgumentException)
        {
            // Not an object location: loading the file reports that; no reference is beside it.
            return null;
        }
    }

    private IByteStore OpenTarget(string folder, string key)
    {
        if (_targets.TryGetValue(folder, out var store))
        {
            return store;
        }

        try
        {
            return _targets.GetOrAdd(folder, _factory.Open(folder));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or UriFormatException)
        {
            throw new StoreException(Location, key, $"cannot open the store of referenced '{folder}': {ex.Message}", ex);
        }
    }

    private Task<IReadOnlyDictionary<string, ChunkReference>> GetReferencesAsync(CancellationToken cancellationToken)
    {
        Task<IReadOnlyDictionary<string, ChunkReference>> loading;
        lock (_gate)
        {
            if (_references is null || _references.IsFaulted || _references.IsCanceled)
            {
                // Shared by all readers, so no single caller's token may cancel it.
                _references = LoadAsync();
            }

            loading = _references;
        }

        return loading.IsCompletedSuccessfully ? loading : loading.WaitAsync(cancellationToken);
    }

    private async Task<IReadOnlyDictionary<string, ChunkReference>> LoadAsync()
    {
        var (folder, name) = StoreLocation.Split(_referenceLocation);
        IByteStore source;
        try
        {
            source = _factory.Open(folder);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or UriFormatException)
        {
            throw new StoreException(Location, name, $"cannot open the folder of the reference file: {ex.Message}", ex);
        }

        // Reading a suffix first would cost a request; ask for one byte more than allowed to detect overflow.
        var json = await source.GetAsync(name, ByteRange.FromOffset(0, _maxReferenceBytes + 1), CancellationToken.None).ConfigureAwait(false)
            ?? throw new StoreException(Location, name, "reference file does not exist");
        if (json.LongLength > _maxReferenceBytes)
        {
            throw new StoreException(Location, name, $"reference file exceeds the limit of {_maxReferenceBytes} bytes");
        }

        return KerchunkReferences.Parse(json, folder, Location, name);
    }
}
