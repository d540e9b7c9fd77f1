using TileServer.Icechunk.Tests.Infrastructure;
using TileServer.Storage;
using Xunit;

namespace TileServer.Icechunk.UpstreamTests;

/// <summary>
/// Upstream Icechunk's own test repositories (written by icechunk 0.1.3 in format 1, 2.0.0-alpha.7 in format 2,
/// and format 1 repositories migrated to 2), read ref by ref and checked against the values upstream's
/// icechunk-python/tests/test_can_read_old.py asserts and its writer functions stored.
/// </summary>
public sealed class UpstreamRepositoryTests
{
    public static readonly TheoryData<string> TestRepos = new() { "test-repo-v1", "test-repo-v2", "test-repo-v2-migrated" };
    public static readonly TheoryData<string> SplitRepos = new() { "split-repo-v1", "split-repo-v2", "split-repo-v2-migrated" };

    private static readonly string[] MainHistory = ["set virtual chunk", "fill data", "empty structure", "Repository initialized"];
    private static readonly string[] BranchHistory = ["some more structure", "delete a chunk", .. MainHistory];

    /// <summary>Every ref upstream's test repository has, with the history and small_chunks values it must show.</summary>
    public static readonly TheoryData<string, string, string[], double[]> EveryRef = Build();

    private static TheoryData<string, string, string[], double[]> Build()
    {
        var data = new TheoryData<string, string, string[], double[]>();
        foreach (var repo in new[] { "test-repo-v1", "test-repo-v2", "test-repo-v2-migrated" })
        {
            data.Add(repo, "branch:main", MainHistory, [84, 84, 84, 84, 84]);
            data.Add(repo, "branch:my-branch", BranchHistory, [84, 84, 84, 84, 8]);
            data.Add(repo, "tag:it also works!", BranchHistory, [84, 84, 84, 84, 8]);
            data.Add(repo, "tag:it works!", BranchHistory[1..], [84, 84, 84, 84, 8]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryRef))]
    public async Task Every_branch_and_tag_reads_the_values_upstream_wrote(string repo, string reference, string[] history, double[] smallChunks)
    {
        using var bucket = new TempFolder();
        var repository = await OpenWithVirtualBucketAsync(repo, bucket);
        var id = await repository.ResolveAsync(IcechunkRef.Parse(reference));
        var ancestry = await repository.AncestryAsync(id);
        Assert.Equal(history, ancestry.Select(s => s.Message));

        var store = await repository.OpenAsync(id);
        Assert.Equal(id, store.SnapshotId);
        Assert.Equal(smallChunks, await ArrayReader.ReadAllAsync(store, "group1/small_chunks"));
        // big_chunks has one virtual chunk (0, 0) and three native ones, all holding 42.
        Assert.All(await ArrayReader.ReadAllAsync(store, "group1/big_chunks"), v => Assert.Equal(42.0, v));
    }

    [Theory]
    [MemberData(nameof(TestRepos))]
    public async Task The_branch_with_more_structure_lists_the_nodes_upstream_lists(string repo)
    {
        using var bucket = new TempFolder();
        var repository = await OpenWithVirtualBucketAsync(repo, bucket);
        var store = await repository.OpenAsync(IcechunkRef.Branch("my-branch"));
        string[] expected =
        [
            "", "group1", "group1/big_chunks", "group1/small_chunks", "group2", "group2/group3", "group2/group3/group4",
            "group2/group3/group4/group5", "group2/group3/group4/group5/inner",
        ];
        Assert.Equal(expected, store.NodePaths);
        Assert.NotNull(await store.GetAsync("group2/group3/group4/group5/inner/zarr.json"));
        // inner was never written: every value is the fill value, NaN.
        Assert.All(await ArrayReader.ReadAllAsync(store, "group2/group3/group4/group5/inner"), v => Assert.True(double.IsNaN(v)));
        // The deleted chunk is absent, not an error.
        Assert.Null(await store.GetAsync("group1/small_chunks/c/4"));
        Assert.NotNull(await store.GetAsync("group1/small_chunks/c/3"));
    }

    [Theory]
    [MemberData(nameof(TestRepos))]
    public async Task A_deleted_tag_is_refused_as_ref_not_found(string repo)
    {
        var repository = new IcechunkRepository(new FileStore(UpstreamData.Repository(repo)));
        var error = await Assert.ThrowsAsync<NotFoundException>(() => repository.ResolveAsync(IcechunkRef.Tag("deleted")).AsTask());
        Assert.Contains("ref not found", error.Message, StringComparison.Ordinal);
        Assert.Contains("'deleted' was deleted", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotFoundException>(() => repository.OpenAsync(IcechunkRef.Tag("deleted")).AsTask());
    }

    [Theory]
    [MemberData(nameof(TestRepos))]
    public async Task A_ref_that_does_not_exist_is_refused_by_name(string repo)
    {
        var repository = new IcechunkRepository(new FileStore(UpstreamData.Repository(repo)));
        var branch = await Assert.ThrowsAsync<NotFoundException>(() => repository.ResolveAsync(IcechunkRef.Branch("no-such-branch")).AsTask());
        Assert.Contains("branch 'no-such-branch' does not exist", branch.Message, StringComparison.Ordinal);
        var tag = await Assert.ThrowsAsync<NotFoundException>(() => repository.ResolveAsync(IcechunkRef.Tag("v9")).AsTask());
        Assert.Contains("tag 'v9' does not exist", tag.Message, StringComparison.Ordinal);
        SnapshotId.TryParse("0000000000000000000G", out var missing);
        var snapshot = await Assert.ThrowsAsync<NotFoundException>(() => repository.ResolveAsync(IcechunkRef.Snapshot(missing)).AsTask());
        Assert.Contains("snapshot 0000000000000000000G does not exist", snapshot.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestRepos))]
    public async Task Refs_listed_match_the_refs_stored(string repo)
    {
        var path = UpstreamData.Repository(repo);
        var repository = new IcechunkRepository(new FileStore(path));
        if (!File.Exists(Path.Combine(path, "repo")))
        {
            // Format 1: the refs are folders; reading them by name must agree with what is on disk.
            await Assert.ThrowsAsync<NotSupportedException>(() => repository.ListRefsAsync().AsTask());
            foreach (var folder in Directory.GetDirectories(Path.Combine(path, "refs")).Select(Path.GetFileName))
            {
                var reference = folder!.StartsWith("branch.", StringComparison.Ordinal)
                    ? IcechunkRef.Branch(folder["branch.".Length..])
                    : IcechunkRef.Tag(folder["tag.".Length..]);
                if (File.Exists(Path.Combine(path, "refs", folder, "ref.json.deleted")))
                {
                    await Assert.ThrowsAsync<NotFoundException>(() => repository.ResolveAsync(reference).AsTask());
                }
                else
                {
                    var json = File.ReadAllText(Path.Combine(path, "refs", folder, "ref.json"));
                    Assert.Contains((await repository.ResolveAsync(reference)).Value, json, StringComparison.Ordinal);
                }
            }

            return;
        }

        var refs = await repository.ListRefsAsync();
        Assert.Equal(["main", "my-branch"], refs.Branches.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["it also works!", "it works!"], refs.Tags.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["deleted"], refs.DeletedTags);
        foreach (var (name, id) in refs.Branches)
        {
            Assert.Equal(id, await repository.ResolveAsync(IcechunkRef.Branch(name)));
        }
    }

    [Theory]
    [MemberData(nameof(TestRepos))]
    public async Task A_virtual_chunk_outside_every_container_is_refused_naming_its_url(string repo)
    {
        var repository = new IcechunkRepository(new FileStore(UpstreamData.Repository(repo)));
        var store = await repository.OpenAsync(IcechunkRef.MainBranch);
        var error = await Assert.ThrowsAsync<VirtualChunkRefusedException>(() => store.GetAsync("group1/big_chunks/c/0/0").AsTask());
        Assert.Equal("s3://testbucket/can_read_old/chunk-1", error.Url);
        Assert.Contains("s3://testbucket/can_read_old/chunk-1", error.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.InvalidData, error.Kind);

        // A container for another bucket does not cover it either.
        using var other = new TempFolder();
        var elsewhere = new IcechunkRepository(
            new FileStore(UpstreamData.Repository(repo)),
            new VirtualChunkResolver([new VirtualChunkContainer { Prefix = "s3://testbucket-other/", Location = other.Path }], new ByteStoreFactory(new StoreOptions())));
        var store2 = await elsewhere.OpenAsync(IcechunkRef.MainBranch);
        await Assert.ThrowsAsync<VirtualChunkRefusedException>(() => store2.GetAsync("group1/big_chunks/c/0/0").AsTask());
    }

    [Theory]
    [MemberData(nameof(TestRepos))]
    public async Task Transaction_logs_give_the_diff_upstream_asserts(string repo)
    {
        // repo.diff(to_branch="main", from_snapshot_id=<"empty structure">): the commits after it changed
        // every chunk of both arrays and no node.
        var repository = new IcechunkRepository(new FileStore(UpstreamData.Repository(repo)));
        var ancestry = await repository.AncestryAsync(await repository.ResolveAsync(IcechunkRef.MainBranch));
        var changes = new List<SnapshotChanges>();
        foreach (var commit in ancestry.TakeWhile(c => c.Message != "empty structure"))
        {
            changes.Add(await repository.GetChangesAsync(commit.Id));
        }

        Assert.Equal(2, changes.Count);
        Assert.All(changes, c => Assert.Empty(c.NewGroups.Concat(c.NewArrays).Concat(c.DeletedGroups).Concat(c.DeletedArrays).Concat(c.UpdatedGroups).Concat(c.UpdatedArrays)));
        var chunks = changes.SelectMany(c => c.UpdatedChunks)
            .GroupBy(p => p.Key)
            .ToDictionary(g => g.Key, g => g.SelectMany(p => p.Value).Select(i => string.Join(',', i)).Distinct().Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(["/group1/big_chunks", "/group1/small_chunks"], chunks.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["0,0", "0,1", "1,0", "1,1"], chunks["/group1/big_chunks"]);
        Assert.Equal(["0", "1", "2", "3", "4"], chunks["/group1/small_chunks"]);

        // "empty structure" itself created the root group (zarr.group), group1 and both arrays.
        var created = await repository.GetChangesAsync(ancestry.Single(c => c.Message == "empty structure").Id);
        Assert.Equal(["/", "/group1"], created.NewGroups.Order(StringComparer.Ordinal));
        Assert.Equal(["/group1/big_chunks", "/group1/small_chunks"], created.NewArrays.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Repositories_are_recognised_by_their_layout()
    {
        foreach (var repo in new[] { "test-repo-v1", "test-repo-v2", "test-repo-v2-migrated", "split-repo-v1" })
        {
            Assert.True(await IcechunkRepository.IsRepositoryAsync(new FileStore(UpstreamData.Repository(repo))), repo);
        }

        Assert.False(await IcechunkRepository.IsRepositoryAsync(new FileStore(TestData.Icechunk("global-4326.zarr"))));
        Assert.False(await IcechunkRepository.IsRepositoryAsync(new FileStore(Path.Combine(UpstreamData.Repository("test-repo-v2"), "snapshots"))));
    }

    [Theory]
    [MemberData(nameof(SplitRepos))]
    public async Task Split_manifests_hold_every_commit_as_upstream_wrote_it(string repo)
    {
        var repository = new IcechunkRepository(new FileStore(UpstreamData.Repository(repo)));
        var main = await repository.ResolveAsync(IcechunkRef.MainBranch);
        var ancestry = (await repository.AncestryAsync(main)).Reverse().ToArray();
        Assert.Equal(
            ["Repository initialized", "empty structure", "write data", "write data again", "write data again with more splits"],
            ancestry.Select(s => s.Message));

        // Manifest files per commit and the values each commit wrote (write_a_split_repo in test_can_read_old.py).
        (int Manifests, double Split, double Small)[] expected = [(0, double.NaN, 8), (9, 120, 0), (9, 12, 1), (17, 14, 3)];
        for (int i = 0; i < expected.Length; i++)
        {
            var store = await repository.OpenAsync(ancestry[i + 1].Id);
            Assert.Equal(expected[i].Manifests, store.ManifestFileCount);
            Assert.All(await ArrayReader.ReadAllAsync(store, "group1/split"), v => Assert.Equal(expected[i].Split, v));
            Assert.All(await ArrayReader.ReadAllAsync(store, "group1/small_chunks"), v => Assert.Equal(expected[i].Small, v));
        }
    }

    internal static async Task<IcechunkRepository> OpenWithVirtualBucketAsync(string repo, TempFolder bucket)
    {
        var root = new FileStore(UpstreamData.Repository(repo));
        // As upstream's test does: the virtual chunk holds the bytes of the native chunk (0, 1).
        var plain = await new IcechunkRepository(root).OpenAsync(IcechunkRef.MainBranch);
        if (plain.NodePaths.Contains("group1/big_chunks"))
        {
            var chunk = await plain.GetAsync("group1/big_chunks/c/0/1") ?? throw new InvalidOperationException("chunk (0, 1) is missing");
            bucket.Write("can_read_old/chunk-1", chunk);
        }

        var containers = new[] { new VirtualChunkContainer { Prefix = "s3://testbucket/", Location = bucket.Path } };
        return new IcechunkRepository(root, new VirtualChunkResolver(containers, new ByteStoreFactory(new StoreOptions())));
    }
}
