using TileServer.Icechunk.Tests.Infrastructure;
using TileServer.Icechunk.Tests.Writer;
using TileServer.Storage;
using Xunit;

namespace TileServer.Icechunk.Tests;

/// <summary>
/// The committed fixture repository read from a real loopback HTTP server (Kestrel static files) and a real
/// S3-compatible server (npm s3rver) gives exactly what the local folder gives, for every ref; the virtual chunk
/// container of its virtual branch can itself be remote.
/// </summary>
public sealed class RemoteRepositoryTests(S3rverFixture s3) : IClassFixture<S3rverFixture>
{
    private static readonly string Fixture = TestData.Icechunk("global-4326.icechunk");
    private static readonly string Source = TestData.Icechunk(GeoZarrFixture.SourceName);
    private static readonly string[] Refs = ["branch:main", "tag:v1", "branch:virtual"];
    private static readonly string[] Arrays = ["tas", "lat", "lon", "time", "spatial_ref"];

    [Fact]
    public async Task The_repository_over_http_reads_like_the_local_folder()
    {
        await using var server = await LoopbackServer.StartStaticAsync(Fixture);
        await using var bucketServer = await LoopbackServer.StartStaticAsync(TestData.Icechunk(""));
        using var factory = new ByteStoreFactory(new StoreOptions());
        var root = factory.Open(server.BaseUrl + "/");
        Assert.True(await IcechunkRepository.IsRepositoryAsync(root));
        var containers = new[] { new VirtualChunkContainer { Prefix = GeoZarrFixture.VirtualPrefix, Location = bucketServer.BaseUrl + "/" } };

        await AssertSameAsync(Local(), new IcechunkRepository(root, new VirtualChunkResolver(containers, factory)));
    }

    [Fact]
    public async Task The_repository_in_s3_reads_like_the_local_folder()
    {
        await UploadAsync(Fixture, "repos/global-4326.icechunk");
        await UploadAsync(Source, "mirror/" + GeoZarrFixture.SourceName);
        using var factory = new ByteStoreFactory(s3.Options());
        var root = factory.Open($"s3://{S3rverFixture.Bucket}/repos/global-4326.icechunk");
        Assert.True(await IcechunkRepository.IsRepositoryAsync(root));
        Assert.False(await IcechunkRepository.IsRepositoryAsync(factory.Open($"s3://{S3rverFixture.Bucket}/mirror/{GeoZarrFixture.SourceName}")));
        var containers = new[] { new VirtualChunkContainer { Prefix = GeoZarrFixture.VirtualPrefix, Location = $"s3://{S3rverFixture.Bucket}/mirror/" } };

        await AssertSameAsync(Local(), new IcechunkRepository(root, new VirtualChunkResolver(containers, factory)));
    }

    private static IcechunkRepository Local()
    {
        var containers = new[] { new VirtualChunkContainer { Prefix = GeoZarrFixture.VirtualPrefix, Location = TestData.Icechunk("") } };
        return new IcechunkRepository(new FileStore(Fixture), new VirtualChunkResolver(containers, new ByteStoreFactory(new StoreOptions())));
    }

    private async Task UploadAsync(string folder, string prefix)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            await s3.PutAsync($"{prefix}/{Path.GetRelativePath(folder, file).Replace('\\', '/')}", await File.ReadAllBytesAsync(file));
        }
    }

    private static async Task AssertSameAsync(IcechunkRepository local, IcechunkRepository remote)
    {
        long compared = 0;
        foreach (var text in Refs)
        {
            var reference = IcechunkRef.Parse(text);
            var id = await remote.ResolveAsync(reference);
            Assert.Equal(await local.ResolveAsync(reference), id);
            Assert.Equal(
                (await local.AncestryAsync(id)).Select(s => (s.Id, s.Message)),
                (await remote.AncestryAsync(id)).Select(s => (s.Id, s.Message)));

            var localStore = await local.OpenAsync(id);
            var remoteStore = await remote.OpenAsync(id);
            Assert.Equal(localStore.NodePaths, remoteStore.NodePaths);
            foreach (var array in Arrays)
            {
                var expected = await ArrayReader.ReadAllAsync(localStore, array);
                Assert.Equal(expected, await ArrayReader.ReadAllAsync(remoteStore, array));
                compared += expected.Length;
            }
        }

        await Assert.ThrowsAsync<NotFoundException>(() => remote.ResolveAsync(IcechunkRef.Branch("no-such-branch")).AsTask());
        await Assert.ThrowsAsync<NotFoundException>(() => remote.ResolveAsync(IcechunkRef.Tag("withdrawn")).AsTask());
        Assert.True(compared >= 3 * 4 * 180 * 360, $"compared only {compared} values");
    }
}
