using TileServer.Icechunk.Tests.Infrastructure;
using TileServer.Storage;
using Xunit;
using ZstdSharp;

namespace TileServer.Icechunk.Tests;

/// <summary>
/// Damaged copies of the committed fixture repository (tests/data/icechunk/global-4326.icechunk) fail with a clear
/// <see cref="IcechunkFormatException"/> naming the file, never with a crash: truncated and foreign files, missing
/// files, and every single-byte change to a manifest and a snapshot.
/// </summary>
public sealed class CorruptInputTests
{
    private const int HeaderLength = 39;
    private static readonly string Fixture = TestData.Icechunk("global-4326.icechunk");

    /// <summary>Keys of main's snapshot that exercise every kind of entry: group and array metadata, inline and packed chunks.</summary>
    private static readonly string[] Keys = ["zarr.json", "tas/zarr.json", "tas/c/0/0/0", "tas/c/3/1/1", "lat/c/0", "spatial_ref/c"];

    [Fact]
    public async Task A_truncated_header_is_a_format_error_naming_the_file()
    {
        using var copy = CopyOfFixture();
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
        using var copy = CopyOfFixture();
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
        using var copy = CopyOfFixture();
        var id = await Repository(copy).ResolveAsync(IcechunkRef.MainBranch);
        string manifest = Directory.GetFiles(Path.Combine(copy.Path, "manifests"))[0];
        File.Copy(manifest, Path.Combine(copy.Path, "snapshots", id.Value), overwrite: true);
        var error = await Assert.ThrowsAsync<IcechunkFormatException>(() => Repository(copy).OpenAsync(id).AsTask());
        Assert.Contains("file type 2 where a Snapshot file (type 1) was expected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flipped_bytes_in_a_compressed_manifest_are_a_format_error()
    {
        using var copy = CopyOfFixture();
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
        var error = await Assert.ThrowsAsync<IcechunkFormatException>(() => store.GetAsync("lat/c/0").AsTask());
        Assert.StartsWith("manifests/", error.Key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_manifest_or_chunk_file_is_a_format_error_naming_it()
    {
        using var copy = CopyOfFixture();
        var id = await Repository(copy).ResolveAsync(IcechunkRef.MainBranch);
        string manifestId = (await ManifestOfAsync(copy.Path, id, "/tas")).ManifestId;
        File.Delete(Path.Combine(copy.Path, "manifests", manifestId));
        var store = await Repository(copy).OpenAsync(id);
        var manifest = await Assert.ThrowsAsync<IcechunkFormatException>(() => store.GetAsync("tas/c/0/0/0").AsTask());
        Assert.Equal("manifests/" + manifestId, manifest.Key);
        Assert.Contains("does not exist", manifest.Message, StringComparison.Ordinal);

        using var other = CopyOfFixture();
        foreach (var file in Directory.GetFiles(Path.Combine(other.Path, "chunks")))
        {
            File.Delete(file);
        }

        var chunk = await Assert.ThrowsAsync<IcechunkFormatException>(async () => await (await Repository(other).OpenAsync(id)).GetAsync("tas/c/0/0/0"));
        Assert.StartsWith("chunks/", chunk.Key, StringComparison.Ordinal);
        Assert.Contains("'tas/c/0/0/0'", chunk.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_snapshot_file_holding_another_snapshot_is_refused()
    {
        using var copy = CopyOfFixture();
        var refs = await Repository(copy).ListRefsAsync();
        var main = refs.Branches["main"];
        var virtualBranch = refs.Branches["virtual"];
        File.Copy(Path.Combine(copy.Path, "snapshots", virtualBranch.Value), Path.Combine(copy.Path, "snapshots", main.Value), overwrite: true);
        var error = await Assert.ThrowsAsync<IcechunkFormatException>(() => Repository(copy).OpenAsync(main).AsTask());
        Assert.Contains($"file holds snapshot {virtualBranch.Value}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("manifests")]
    [InlineData("snapshots")]
    [InlineData("repo")]
    public async Task Every_single_byte_change_to_a_metadata_file_reads_or_fails_cleanly(string file)
    {
        var id = await new IcechunkRepository(new FileStore(Fixture)).ResolveAsync(IcechunkRef.MainBranch);
        string target = file switch
        {
            "snapshots" => Path.Combine(Fixture, "snapshots", id.Value),
            "manifests" => Path.Combine(Fixture, "manifests", (await ManifestOfAsync(Fixture, id, "/tas")).ManifestId),
            _ => Path.Combine(Fixture, "repo"),
        };
        var original = File.ReadAllBytes(target);
        using var zstd = new Decompressor();
        byte[] payload = zstd.Unwrap(original.AsSpan(HeaderLength)).ToArray();
        Assert.True(payload.Length > 200, $"payload of {payload.Length} bytes");

        var files = MemoryStore.Load(Fixture);
        string key = Path.GetRelativePath(Fixture, target).Replace('\\', '/');
        int failures = 0;
        for (int i = 0; i < payload.Length; i++)
        {
            var changed = (byte[])payload.Clone();
            changed[i] ^= 0xFF;
            // The same header, declaring the payload uncompressed (compression 0), so the change reaches the FlatBuffers reader.
            var header = original[..HeaderLength];
            header[HeaderLength - 1] = 0;
            try
            {
                var repository = new IcechunkRepository(files.With(key, [.. header, .. changed]));
                var store = await repository.OpenAsync(await repository.ResolveAsync(IcechunkRef.MainBranch));
                foreach (var chunkKey in Keys)
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
        Assert.Equal(
            (await new IcechunkRepository(new FileStore(Fixture)).OpenAsync(id)).NodePaths,
            (await new IcechunkRepository(files).OpenAsync(id)).NodePaths);
    }

    [Fact]
    public async Task A_decompressed_payload_over_the_limit_is_refused()
    {
        var repository = new IcechunkRepository(new FileStore(Fixture), options: new IcechunkReaderOptions { MaxMetadataFileBytes = 64 });
        var error = await Assert.ThrowsAsync<IcechunkFormatException>(() => repository.ResolveAsync(IcechunkRef.MainBranch).AsTask());
        Assert.Contains("64-byte limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_that_is_no_repository_is_not_found_rather_than_corrupt()
    {
        Assert.False(await IcechunkRepository.IsRepositoryAsync(new FileStore(Path.Combine(Fixture, "snapshots"))));
        var error = await Assert.ThrowsAsync<NotFoundException>(() => new IcechunkRepository(new FileStore(TestData.Icechunk("global-4326.zarr"))).ResolveAsync(IcechunkRef.MainBranch).AsTask());
        Assert.Contains("neither a repo info file", error.Message, StringComparison.Ordinal);
    }

    private static async Task<Format.ManifestExtent> ManifestOfAsync(string root, SnapshotId id, string node)
    {
        var snapshot = await new IcechunkRepository(new FileStore(root)).LoadSnapshotAsync(id, CancellationToken.None);
        return Assert.Single(snapshot.Nodes[node].Manifests!);
    }

    private static IcechunkRepository Repository(TempFolder copy) => new(new FileStore(copy.Path));

    private static TempFolder CopyOfFixture()
    {
        var copy = new TempFolder();
        foreach (var file in Directory.EnumerateFiles(Fixture, "*", SearchOption.AllDirectories))
        {
            copy.Write(Path.GetRelativePath(Fixture, file), File.ReadAllBytes(file));
        }

        return copy;
    }
}
