using TileServer.Storage;

namespace TileServer.Icechunk.Tests.Infrastructure;

/// <summary>A folder's files held in memory, for tests that try thousands of variants of one file.</summary>
internal sealed class MemoryStore(string location, IReadOnlyDictionary<string, byte[]> files) : IByteStore
{
    public string Location => location;

    public static MemoryStore Load(string folder) =>
        new(folder, Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllBytes, StringComparer.Ordinal));

    public MemoryStore With(string key, byte[] bytes) => new(location, new Dictionary<string, byte[]>(files, StringComparer.Ordinal) { [key] = bytes });

    public ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        if (!files.TryGetValue(key, out var bytes))
        {
            return ValueTask.FromResult<byte[]?>(null);
        }

        if (range is not { } r)
        {
            return ValueTask.FromResult<byte[]?>(bytes);
        }

        long start = r.IsSuffix ? Math.Max(0, bytes.Length - r.Length) : r.Start;
        if (start >= bytes.Length && bytes.Length > 0)
        {
            return ValueTask.FromResult<byte[]?>(null);
        }

        long length = Math.Min(r.IsSuffix ? r.Length : r.Length, bytes.Length - start);
        return ValueTask.FromResult<byte[]?>(bytes.AsSpan((int)start, (int)length).ToArray());
    }
}
