using TileServer.Icechunk.Format;

namespace TileServer.Icechunk;

/// <summary>
/// The id of one immutable snapshot of a repository, in its 20-character Crockford base 32 spelling (the name
/// of its file under <c>snapshots/</c>). It identifies the data exactly, so it serves as the dataset version.
/// </summary>
public readonly record struct SnapshotId
{
    private SnapshotId(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(string? text, out SnapshotId id)
    {
        id = default;
        if (text is null || !Crockford.TryDecode(text, 12, out _))
        {
            return false;
        }

        id = new SnapshotId(text);
        return true;
    }

    /// <summary>For ids read from a repository's own files, already validated by the decoder.</summary>
    internal static SnapshotId FromEncoded(string encoded) => new(encoded);

    public override string ToString() => Value;
}

/// <summary>One commit in a repository's history.</summary>
public sealed record SnapshotSummary(SnapshotId Id, SnapshotId? ParentId, string Message, DateTimeOffset FlushedAt);

/// <summary>The branches, tags and deleted tag names of a repository, with the snapshot each ref points at.</summary>
public sealed record IcechunkRefList(
    IReadOnlyDictionary<string, SnapshotId> Branches,
    IReadOnlyDictionary<string, SnapshotId> Tags,
    IReadOnlyCollection<string> DeletedTags);

/// <summary>
/// What one commit changed, from its transaction log. Nodes are named by path in that commit's snapshot (deleted
/// nodes by path in its parent); <see cref="UpdatedChunks"/> lists, per array, every chunk index whose reference
/// was written or removed.
/// </summary>
public sealed record SnapshotChanges(
    IReadOnlyCollection<string> NewGroups,
    IReadOnlyCollection<string> NewArrays,
    IReadOnlyCollection<string> DeletedGroups,
    IReadOnlyCollection<string> DeletedArrays,
    IReadOnlyCollection<string> UpdatedGroups,
    IReadOnlyCollection<string> UpdatedArrays,
    IReadOnlyDictionary<string, IReadOnlyList<uint[]>> UpdatedChunks);
