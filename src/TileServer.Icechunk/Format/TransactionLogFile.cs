namespace TileServer.Icechunk.Format;

/// <summary>
/// A transaction log: which nodes a commit created, deleted or changed and which chunk references it wrote,
/// by node id. Reading data never needs it; it says what changed between two versions.
/// </summary>
internal sealed record TransactionLogFile(
    IReadOnlyList<ulong> NewGroups,
    IReadOnlyList<ulong> NewArrays,
    IReadOnlyList<ulong> DeletedGroups,
    IReadOnlyList<ulong> DeletedArrays,
    IReadOnlyList<ulong> UpdatedGroups,
    IReadOnlyList<ulong> UpdatedArrays,
    IReadOnlyDictionary<ulong, IReadOnlyList<uint[]>> UpdatedChunks)
{
    public static TransactionLogFile Parse(IcechunkPayload payload, string expectedId, string location, string key) =>
        FlatRead.Guard(location, key, () =>
        {
            var log = FlatRead.Root(payload, Slots.TransactionLog.Id, "TransactionLog.id", expectedId, "transaction log holds the log of snapshot");
            var chunks = new Dictionary<ulong, IReadOnlyList<uint[]>>();
            var updated = FlatRead.Vector(log, Slots.TransactionLog.UpdatedChunks, 4, "TransactionLog.updated_chunks");
            for (int i = 0; i < updated.Count; i++)
            {
                var array = updated.Table(i);
                var list = FlatRead.Vector(array, Slots.ArrayUpdatedChunks.Chunks, 4, "ArrayUpdatedChunks.chunks");
                var coords = new List<uint[]>(list.Count);
                for (int c = 0; c < list.Count; c++)
                {
                    var index = FlatRead.Vector(list.Table(c), Slots.ChunkIndices.Coords, 4, "ChunkIndices.coords");
                    coords.Add(Enumerable.Range(0, index.Count).Select(index.UInt32).ToArray());
                }

                chunks[FlatRead.NodeId(array.Struct(Slots.ArrayUpdatedChunks.NodeId, 8), "ArrayUpdatedChunks.node_id")] = coords;
            }

            return new TransactionLogFile(
                Ids(log, Slots.TransactionLog.NewGroups),
                Ids(log, Slots.TransactionLog.NewArrays),
                Ids(log, Slots.TransactionLog.DeletedGroups),
                Ids(log, Slots.TransactionLog.DeletedArrays),
                Ids(log, Slots.TransactionLog.UpdatedGroups),
                Ids(log, Slots.TransactionLog.UpdatedArrays),
                chunks);
        });

    private static ulong[] Ids(FlatTable log, int slot)
    {
        var vector = FlatRead.Vector(log, slot, 8, "TransactionLog node id list");
        var ids = new ulong[vector.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = FlatRead.NodeId(vector.Element(i), "node id");
        }

        return ids;
    }
}
