using TileServer.Icechunk.Tests.Infrastructure;
using TileServer.Storage;
using Xunit;

namespace TileServer.Icechunk.UpstreamTests;

/// <summary>
/// The same repositories read from a real loopback HTTP server (Kestrel static files) and a real S3-compatible
/// server (npm s3rver) give exactly what the local folder gives, ref names with spaces and '!' included; the
/// virtual chunk container can itself be remote.
/// </summary>
public sealed class UpstreamRemoteRepositoryTests(S3rverFixture s3) : IClassFixture<S3rverFixture>
{
    public static readonly TheoryData<string> Repos = new() { "test-repo-v1", "test-repo-v2", "test-repo-v2-migrated", "split-repo-v2" };

    private static readonly string[] Refs = ["branch:main", "branch:my-branch", "tag:it works!", "tag:it also works!"];

    [Theory]
    [MemberData(nameof(Repos))]
    public async Task A_repository_over_http_reads_like_the_local_folder(string repo)
    {
        using var bucket = new TempFolder();
        var local = await UpstreamRepositoryTests.OpenWithVirtualBucketAsync(repo, bucket);
        await using var server = await LoopbackServer.StartStaticAsync(UpstreamData.Repository(repo));
        await using var bucketServer = await LoopbackServer.StartStaticAsync(bucket.Path);
        using var factory = new ByteStoreFactory(new StoreOptions());
        var containers = new[] { new VirtualChunkContainer { Prefix = "s3://testbucket/", Location = bucketServer.BaseUrl + "/" } };
        var remote = new IcechunkRepository(factory.Open(server.BaseUrl + "/"), new VirtualChunkResolver(containers, factory));

        await AssertSameAsync(local, remote, repo);
    }

    [Theory]
    [MemberData(nameof(Repos))]
    public async Task A_repository_in_s3_reads_like_the_local_folder(string repo)
    {
        using var bucket = new TempFolder();
        var local = await UpstreamRepositoryTests.OpenWithVirtualBucketAsync(repo, bucket);
        string root = UpstreamData.Repository(repo);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            await s3.PutAsync($"{repo}/{Path.GetRelativePath(root, file).Replace('\\', '/')}", await File.ReadAllBytesAsync(file));
        }

        foreach (var file in Directory.EnumerateFiles(bucket.Path, "*", SearchOption.AllDirectories))
        {
            await s3.PutAsync($"virtual-{repo}/{Path.GetRelativePath(bucket.Path, file).Replace('\\', '/')}", await File.ReadAllBytesAsync(file));
        }

        using var factory = new ByteStoreFactory(s3.Options());
        var containers = new[] { new VirtualChunkContainer { Prefix = "s3://testbucket/", Location = $"s3://{S3rverFixture.Bucket}/virtual-{repo}/" } };
        var remote = new IcechunkRepository(factory.Open($"s3://{S3rverFixture.Bucket}/{repo}"), new VirtualChunkResolver(containers, factory));

        await AssertSameAsync(local, remote, repo);
    }

    private static async Task AssertSameAsync(IcechunkRepository local, IcechunkRepository remote, string repo)
    {
        int compared = 0;
        foreach (var text in repo.StartsWith("split", StringComparison.Ordinal) ? Refs[..1] : Refs)
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
            foreach (var array in new[] { "group1/small_chunks", repo.StartsWith("split", StringComparison.Ordinal) ? "group1/split" : "group1/big_chunks" })
            {
                var expected = await ArrayReader.ReadAllAsync(localStore, array);
                Assert.Equal(expected, await ArrayReader.ReadAllAsync(remoteStore, array));
                compared += expected.Length;
            }
        }

        await Assert.ThrowsAsync<NotFoundException>(() => remote.ResolveAsync(IcechunkRef.Branch("no-such-branch")).AsTask());
        Assert.True(compared >= 105, $"compared only {compared} values");
    }
}
