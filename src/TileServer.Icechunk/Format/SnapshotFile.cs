namespace TileServer.Icechunk.Format;

/// <summary>
/// A parsed snapshot file: the repository's hierarchy at one commit. Each node carries its Zarr v3 metadata
/// document as stored and, for arrays, the manifests that hold its chunk references and the region of the
/// chunk grid each one covers.
/// </summary>
/// <param name="Id">The snapshot id.</param>
/// <param name="ParentId">Format 1 keeps the parent in the snapshot; format 2 keeps it in the repo info file (null here).</param>
/// <param name="Message">The commit message.</param>
/// <param name="FlushedAt">When the snapshot was written.</param>
/// <param name="SpecVersion">The spec version (1 or 2) the file was written in.</param>
/// <param name="Nodes">By absolute node path (<c>/</c>, <c>/group1/array</c>).</param>
/// <param name="ManifestFileCount">How many manifest files the snapshot references.</param>
/// <param name="SizeBytes">What the parsed form roughly costs in memory, for the cache's byte bound.</param>
internal sealed record SnapshotFile(
    string Id, string? ParentId, string Message, DateTimeOffset FlushedAt, byte SpecVersion,
    IReadOnlyDictionary<string, SnapshotNode> Nodes, int ManifestFileCount, long SizeBytes)
{
    public static SnapshotFile Parse(IcechunkPayload payload, string location, string key) =>
        FlatRead.Guard(location, key, () =>
        {
            var snapshot = FlatTable.Root(payload.Bytes);
            string id = FlatRead.Id12(snapshot, Slots.Snapshot.Id, "Snapshot.id");
            var parentBytes = snapshot.Struct(Slots.Snapshot.ParentId, 12);
            string? parent = parentBytes.IsEmpty ? null : FlatRead.Id12(parentBytes, "Snapshot.parent_id");
            string message = FlatRead.String(snapshot, Slots.Snapshot.Message, "Snapshot.message");
            var nodeVector = FlatRead.Vector(snapshot, Slots.Snapshot.Nodes, 4, "Snapshot.nodes");
            var nodes = new Dictionary<string, SnapshotNode>(StringComparer.Ordinal);
            long size = payload.Bytes.Length;
            for (int i = 0; i < nodeVector.Count; i++)
            {
                var node = ReadNode(nodeVector.Table(i));
                if (!nodes.TryAdd(node.Path, node))
                {
                    throw new FlatBufferException($"node path '{node.Path}' appears twice");
                }

                size += node.ZarrJson.Length + 128;
            }

            int manifests = snapshot.Vector(Slots.Snapshot.ManifestFilesV2, 4) is { Count: > 0 } v2
                ? v2.Count
                : snapshot.Vector(Slots.Snapshot.ManifestFiles, Slots.Snapshot.ManifestFileInfoSize)?.Count ?? 0;
            return new SnapshotFile(id, parent, message, FlatRead.Time(snapshot.UInt64(Slots.Snapshot.FlushedAt)), payload.SpecVersion, nodes, manifests, size);
        });

    private static SnapshotNode ReadNode(FlatTable node)
    {
        string path = FlatRead.String(node, Slots.NodeSnapshot.Path, "NodeSnapshot.path");
        if (!path.StartsWith('/'))
        {
            throw new FlatBufferException($"node path '{path}' is not absolute");
        }

        ulong nodeId = FlatRead.NodeId(node.Struct(Slots.NodeSnapshot.Id, 8), "NodeSnapshot.id");
        byte[] zarrJson = FlatRead.Vector(node, Slots.NodeSnapshot.UserData, 1, $"Zarr metadata of '{path}'").Bytes.ToArray();
        byte type = node.UInt8(Slots.NodeSnapshot.NodeDataType);
        switch (type)
        {
            case Slots.NodeSnapshot.GroupType:
                return new SnapshotNode(path, nodeId, zarrJson, null, 0);
            case Slots.NodeSnapshot.ArrayType:
                var array = FlatRead.Table(node, Slots.NodeSnapshot.NodeData, $"array data of '{path}'");
                int rank = Math.Max(
                    array.Vector(Slots.ArrayNodeData.Shape, Slots.ArrayNodeData.DimensionShapeSize)?.Count ?? 0,
                    array.Vector(Slots.ArrayNodeData.ShapeV2, 4)?.Count ?? 0);
                var refs = FlatRead.Vector(array, Slots.ArrayNodeData.Manifests, 4, $"manifests of '{path}'");
                var extents = new ManifestExtent[refs.Count];
                for (int m = 0; m < refs.Count; m++)
                {
                    extents[m] = ReadExtent(refs.Table(m), rank, path);
                }

                return new SnapshotNode(path, nodeId, zarrJson, extents, rank);
            default:
                throw new FlatBufferException($"node '{path}' is neither a group nor an array (type {type})");
        }
    }

    private static ManifestExtent ReadExtent(FlatTable reference, int rank, string path)
    {
        string manifestId = FlatRead.Id12(reference, Slots.ManifestRef.ObjectId, "ManifestRef.object_id");
        var ranges = FlatRead.Vector(reference, Slots.ManifestRef.Extents, Slots.ManifestRef.ChunkIndexRangeSize, "ManifestRef.extents");
        if (ranges.Count != rank)
        {
            throw new FlatBufferException($"manifest {manifestId} of '{path}' has {ranges.Count} extents for an array of {rank} dimensions");
        }

        var from = new uint[rank];
        var to = new uint[rank];
        for (int d = 0; d < rank; d++)
        {
            var range = ranges.Element(d);
            from[d] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(range);
            to[d] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(range[4..]);
        }

        return new ManifestExtent(manifestId, from, to);
    }
}

/// <summary>A group (<see cref="Manifests"/> null) or an array of one snapshot.</summary>
internal sealed record SnapshotNode(string Path, ulong Id, byte[] ZarrJson, ManifestExtent[]? Manifests, int Rank)
{
    public bool IsArray => Manifests is not null;
}

/// <summary>The manifest holding an array's chunk references for chunk indexes in [From, To) per dimension.</summary>
internal sealed record ManifestExtent(string ManifestId, uint[] From, uint[] To)
{
    public bool Contains(ReadOnlySpan<uint> coords)
    {
        for (int d = 0; d < coords.Length; d++)
        {
            if (coords[d] < From[d] || coords[d] >= To[d])
            {
                return false;
            }
        }

        return true;
    }
}
