using TileServer.Icechunk.Tests.Infrastructure;
using TileServer.Storage;
using Xunit;
using ZstdSharp;

namespace TileServer.Icechunk.Tests;

/// <summary>
/// Damaged repositories fail with a clear <see cref="IcechunkFormatException"/> naming the file, never with a
/// crash: truncated and foreign files, and every single-byte change to a manifest and a snapshot.
/// </summary>
public sealed class CorruptInputTests
{
    private const int HeaderLength = 39;

    [Fact]
    public async Task A_truncated_header_is_a_format_error_naming_the_file()
    {
        using var copy = CopyOf("test-repo-v2");
        var raw = File.ReadAllBytes(Path.Combine(copy.Path, "repo"));
        File.WriteAllBytes(Path.Combine(copy.Path, "repo"), raw[..20]);
        var error = await Assert.ThrowsAsync<IcechunkFormatException>(() => Repository(copy).ResolveAsync(IcechunkRef.MainBranch).AsTask());
        Assert.Equal("repo", error.Key);
        Assert.Contains("shorter than the 39-byte Icechunk header", error.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.InvalidData, error.Kind);
    }

    [Fact]
    public async Task A_file_without_the_magic_bytes_is_a_format_error()
    {
        using var copy = CopyOf("test-repo-v1");
        var id = await Repository(copy).ResolveAsync(IcechunkRef.MainBranch);
        string path = Path.Combine(copy.Path, "snapshots", id.Value);
        var raw = File.ReadAllBytes(path);
        raw[0] = (byte)'X';
        File.WriteAllBytes(path, raw);
        var error = await Assert.ThrowsAsync<IcechunkFormatException>(() => Repository(copy).OpenAsync(id).AsTask());
        Assert.Equal("snapshots/" + id.Value, error.Key);
        Assert.Contains("magic bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_where_a_snapshot_should_be_is_a_format_error()
    {
        using var copy = CopyOf("test-repo-v2");
        var id = await Repository(copy).ResolveAsync(IcechunkRef.MainBranch);
        string manifest = Directory.GetFiles(Path.Combine(copy.Path, "manifests"))[0];
        File.Copy(manifest, Path.Combine(copy.Path, "snapshots", id.Value), overwrite: true);
        var error = await Assert.ThrowsAsync<IcechunkFormatException>(() => Repository(copy).OpenAsync(id).AsTask());
        Assert.Contains("file type 2 where a Snapshot file (type 1) was expected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flipped_bytes_in_a_compressed_manifest_are_a_format_error()
    {
        using var copy = CopyOf("test-repo-v2");
        foreach (var path in Directory.GetFiles(Path.Combine(copy.Path, "manifests")))
        {
            var raw = File.ReadAllBytes(path);
            for (int i = HeaderLength + 8; i < raw.Length; i += 7)
            {
                raw[i] ^= 0x5A;
            }

            File.WriteAllBytes(path, raw);
        }

        var store = await Repository(copy).OpenAsync(IcechunkRef.MainBranch);
        var error = await Assert.ThrowsAsync<IcechunkFormatException>(() => store.GetAsync("group1/small_chunks/c/0").AsTask());
        Assert.StartsWith("manifests/", error.Key, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("manifests")]
    [InlineData("snapshots")]
    public async Task Every_single_byte_change_to_a_metadata_file_reads_or_fails_cleanly(string folder)
    {
        using var copy = CopyOf("test-repo-v2");
        var id = await Repository(copy).ResolveAsync(IcechunkRef.Branch("my-branch"));
        var baseline = await Repository(copy).OpenAsync(id);
        string target = folder == "snapshots"
            ? Path.Combine(copy.Path, "snapshots", id.Value)
            : Directory.GetFiles(Path.Combine(copy.Path, "manifests")).OrderByDescending(f => new FileInfo(f).Length).First();
        var original = File.ReadAllBytes(target);
        using var zstd = new Decompressor();
        byte[] payload = zstd.Unwrap(original.AsSpan(HeaderLength)).ToArray();
        Assert.True(payload.Length > 100, $"payload of {payload.Length} bytes");

        var files = MemoryStore.Load(copy.Path);
        string key = Path.GetRelativePath(copy.Path, target).Replace('\\', '/');
        int failures = 0;
        for (int i = 0; i < payload.Length; i++)
        {
            var changed = (byte[])payload.Clone();
            changed[i] ^= 0xFF;
            // The same header, declaring the payload uncompressed (compression 0), so the change reaches the FlatBuffers reader.
            var file = original[..HeaderLength];
            file[HeaderLength - 1] = 0;
            try
            {
                var store = await new IcechunkRepository(files.With(key, [.. file, .. changed])).OpenAsync(id);
                foreach (var chunkKey in new[] { "zarr.json", "group1/big_chunks/zarr.json", "group1/big_chunks/c/1/1", "group1/small_chunks/c/0", "group1/small_chunks/c/4" })
                {
                    _ = await store.GetAsync(chunkKey);
                }
            }
            catch (TileServerException)
            {
                failures++;
            }
        }

        // Most changes break something the reader checks; the rest read (different) data without harm.
        Assert.True(failures > 0, "no single-byte change was detected");
        Assert.Equal(baseline.NodePaths, (await Repository(copy).OpenAsync(id)).NodePaths);
    }

    [Fact]
    public async Task A_decompressed_payload_over_the_limit_is_refused()
    {
        using var copy = CopyOf("test-repo-v2");
        var repository = new IcechunkRepository(new FileStore(copy.Path), options: new IcechunkReaderOptions { MaxMetadataFileBytes = 64 });
        var error = await Assert.ThrowsAsync<IcechunkFormatException>(() => repository.ResolveAsync(IcechunkRef.MainBranch).AsTask());
        Assert.Contains("64-byte limit", error.Message, StringComparison.Ordinal);
    }

    private static IcechunkRepository Repository(TempFolder copy) => new(new FileStore(copy.Path));

    private static TempFolder CopyOf(string repo)
    {
        var copy = new TempFolder();
        string source = TestData.Upstream(repo);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            copy.Write(Path.GetRelativePath(source, file), File.ReadAllBytes(file));
        }

        return copy;
    }
}
