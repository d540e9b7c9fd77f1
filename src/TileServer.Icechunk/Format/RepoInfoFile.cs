namespace TileServer.Icechunk.Format;

/// <summary>One entry of the repo info file's snapshot list; <see cref="ParentIndex"/> is -1 for the first commit.</summary>
internal sealed record RepoSnapshotEntry(string Id, int ParentIndex, string Message, DateTimeOffset FlushedAt);

/// <summary>
/// The repo info file (<c>$ROOT/repo</c>) of a format 2 repository: its branches, tags, deleted tag names and
/// every snapshot with its parent. It is the only mutable file, so it is read afresh whenever a ref is resolved.
/// </summary>
internal sealed class RepoInfoFile
{
    private readonly Dictionary<string, int> _snapshotIndex;

    private RepoInfoFile(
        byte specVersion,
        Dictionary<string, string> branches,
        Dictionary<string, string> tags,
        HashSet<string> deletedTags,
        RepoSnapshotEntry[] snapshots)
    {
        SpecVersion = specVersion;
        Branches = branches;
        Tags = tags;
        DeletedTags = deletedTags;
        Snapshots = snapshots;
        _snapshotIndex = new Dictionary<string, int>(snapshots.Length, StringComparer.Ordinal);
        for (int i = 0; i < snapshots.Length; i++)
        {
            _snapshotIndex[snapshots[i].Id] = i;
        }
    }

    public byte SpecVersion { get; }
    public IReadOnlyDictionary<string, string> Branches { get; }
    public IReadOnlyDictionary<string, string> Tags { get; }
    public IReadOnlySet<string> DeletedTags { get; }
    public IReadOnlyList<RepoSnapshotEntry> Snapshots { get; }

    public RepoSnapshotEntry? FindSnapshot(string id) => _snapshotIndex.TryGetValue(id, out int i) ? Snapshots[i] : null;

    public static RepoInfoFile Parse(IcechunkPayload payload, string location, string key) =>
        FlatRead.Guard(location, key, () =>
        {
            var repo = FlatTable.Root(payload.Bytes);
            var list = FlatRead.Vector(repo, Slots.Repo.Snapshots, 4, "Repo.snapshots");
            var snapshots = new RepoSnapshotEntry[list.Count];
            for (int i = 0; i < list.Count; i++)
            {
                var info = list.Table(i);
                int parent = info.Int32(Slots.SnapshotInfo.ParentOffset);
                if (parent < -1 || parent >= list.Count || parent == i)
                {
                    throw new FlatBufferException($"snapshot {i} names parent {parent} of {list.Count}");
                }

                snapshots[i] = new RepoSnapshotEntry(
                    FlatRead.Id12(info, Slots.SnapshotInfo.Id, "SnapshotInfo.id"),
                    parent,
                    FlatRead.String(info, Slots.SnapshotInfo.Message, "SnapshotInfo.message"),
                    FlatRead.Time(info.UInt64(Slots.SnapshotInfo.FlushedAt)));
            }

            var branches = ReadRefs(FlatRead.Vector(repo, Slots.Repo.Branches, 4, "Repo.branches"), snapshots);
            var tags = ReadRefs(FlatRead.Vector(repo, Slots.Repo.Tags, 4, "Repo.tags"), snapshots);
            var deletedVector = FlatRead.Vector(repo, Slots.Repo.DeletedTags, 4, "Repo.deleted_tags");
            var deleted = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < deletedVector.Count; i++)
            {
                deleted.Add(deletedVector.String(i));
            }

            return new RepoInfoFile(payload.SpecVersion, branches, tags, deleted, snapshots);
        });

    private static Dictionary<string, string> ReadRefs(FlatVector list, RepoSnapshotEntry[] snapshots)
    {
        var refs = new Dictionary<string, string>(list.Count, StringComparer.Ordinal);
        for (int i = 0; i < list.Count; i++)
        {
            var reference = list.Table(i);
            string name = FlatRead.String(reference, Slots.Ref.Name, "Ref.name");
            uint index = reference.UInt32(Slots.Ref.SnapshotIndex);
            if (index >= (uint)snapshots.Length)
            {
                throw new FlatBufferException($"ref '{name}' points at snapshot {index} of {snapshots.Length}");
            }

            refs[name] = snapshots[index].Id;
        }

        return refs;
    }
}
