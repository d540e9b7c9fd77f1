using System.Security.Cryptography;
using System.Text;
using TileServer.Icechunk.Format;
using ZstdSharp;

namespace TileServer.Icechunk.Tests.Writer;

/// <summary>A group (<see cref="Array"/> null) or array to put in a snapshot, with its zarr.json as stored.</summary>
internal sealed record NodeSpec(string Path, byte[] ZarrJson, ArraySpec? Array);

/// <summary>An array's shape, chunk grid size, dimension names and chunk references.</summary>
internal sealed record ArraySpec(ulong[] Shape, uint[] NumChunks, string?[] DimensionNames, IReadOnlyList<ChunkSpec> Chunks);

internal abstract record ChunkSpec(uint[] Index);

internal sealed record InlineChunkSpec(uint[] Index, byte[] Bytes) : ChunkSpec(Index);

internal sealed record NativeChunkSpec(uint[] Index, string ChunkId, ulong Offset, ulong Length) : ChunkSpec(Index);

internal sealed record VirtualChunkSpec(uint[] Index, string Url, ulong Offset, ulong Length) : ChunkSpec(Index);

/// <summary>One commit for the repo info file; <see cref="Parent"/> null for the first.</summary>
internal sealed record CommitSpec(string Id, string? Parent, string Message, DateTimeOffset FlushedAt);

/// <summary>
/// Writes an Icechunk format 2 repository (spec version 2.1 layout) for tests: chunk files, one manifest and one
/// transaction log per snapshot, snapshots and the repo info file, each in the binary envelope with a zstd
/// payload. Ids are derived from content, so the same input always gives the same files.
/// </summary>
internal sealed class IcechunkWriter(string root)
{
    /// <summary>The id of the initial snapshot every repository starts with (the spec's well-known value).</summary>
    public const string InitialSnapshotId = "1CECHNKREP0F1RSTCMT0";

    private const string Implementation = "tileserver-tests";

    public string WriteChunkFile(byte[] bytes)
    {
        string id = IdOf("chunk", bytes);
        WriteFile("chunks/" + id, bytes);
        return id;
    }

    public string WriteSnapshot(string? id, string message, DateTimeOffset flushedAt, IReadOnlyList<NodeSpec> nodes)
    {
        var arrays = nodes.Where(n => n.Array is { Chunks.Count: > 0 }).OrderBy(n => NodeId(n.Path), ByteOrder.Instance).ToList();
        string? manifestId = null;
        int refCount = 0;
        long manifestSize = 0;
        if (arrays.Count > 0)
        {
            manifestId = WriteManifest(arrays, out refCount, out manifestSize);
        }

        id ??= IdOf("snapshot", Encoding.UTF8.GetBytes(message + "|" + manifestId + "|" + string.Join(",", nodes.Select(n => n.Path))));

        var b = new FlatBuilder();
        var nodeOffsets = new List<int>();
        foreach (var node in nodes.OrderBy(n => n.Path, StringComparer.Ordinal))
        {
            nodeOffsets.Add(WriteNode(b, node, node.Array is { Chunks.Count: > 0 } ? manifestId : null));
        }

        int nodesVector = b.CreateOffsetVector(nodeOffsets);
        int messageOffset = b.CreateString(message);
        int metadata = b.CreateOffsetVector([]);
        int manifestFiles = b.CreateVector([], Slots.Snapshot.ManifestFileInfoSize, 8);
        int manifestFilesV2 = b.CreateOffsetVector(manifestId is null ? [] : [ManifestInfo(b, manifestId, refCount, manifestSize)]);
        b.StartTable();
        b.AddStruct(Slots.Snapshot.Id, Id12(id), 1);
        b.AddOffset(Slots.Snapshot.Nodes, nodesVector);
        b.AddUInt64(Slots.Snapshot.FlushedAt, Micros(flushedAt));
        b.AddOffset(Slots.Snapshot.Message, messageOffset);
        b.AddOffset(5, metadata);
        b.AddOffset(Slots.Snapshot.ManifestFiles, manifestFiles);
        b.AddOffset(Slots.Snapshot.ManifestFilesV2, manifestFilesV2);
        WriteFile("snapshots/" + id, Envelope(IcechunkFileType.Snapshot, b.Finish(b.EndTable())));
        WriteTransactionLog(id);
        return id;
    }

    public void WriteRepo(IReadOnlyList<CommitSpec> commits, IReadOnlyDictionary<string, string> branches, IReadOnlyDictionary<string, string> tags, IReadOnlyList<string> deletedTags)
    {
        var sorted = commits.OrderBy(c => Id12(c.Id), ByteOrder.Instance).ToList();
        int IndexOf(string id) => sorted.FindIndex(c => c.Id == id);

        var b = new FlatBuilder();
        var infos = new List<int>();
        foreach (var commit in sorted)
        {
            int message = b.CreateString(commit.Message);
            b.StartTable();
            b.AddStruct(Slots.SnapshotInfo.Id, Id12(commit.Id), 1);
            b.AddInt32(Slots.SnapshotInfo.ParentOffset, commit.Parent is null ? -1 : IndexOf(commit.Parent));
            b.AddUInt64(Slots.SnapshotInfo.FlushedAt, Micros(commit.FlushedAt));
            b.AddOffset(Slots.SnapshotInfo.Message, message);
            infos.Add(b.EndTable());
        }

        int snapshots = b.CreateOffsetVector(infos);
        int tagVector = Refs(b, tags, IndexOf);
        int branchVector = Refs(b, branches, IndexOf);
        int deleted = b.CreateOffsetVector(deletedTags.Order(StringComparer.Ordinal).Select(b.CreateString).ToList());
        b.StartTable();
        b.AddUInt64(1, Micros(commits.Max(c => c.FlushedAt)));
        int status = b.EndTable();
        int updates = b.CreateOffsetVector([]);
        b.StartTable();
        b.AddUInt8(0, 2);
        b.AddOffset(Slots.Repo.Tags, tagVector);
        b.AddOffset(Slots.Repo.Branches, branchVector);
        b.AddOffset(Slots.Repo.DeletedTags, deleted);
        b.AddOffset(Slots.Repo.Snapshots, snapshots);
        b.AddOffset(5, status);
        b.AddOffset(7, updates);
        WriteFile("repo", Envelope(IcechunkFileType.RepoInfo, b.Finish(b.EndTable())));
    }

    private string WriteManifest(List<NodeSpec> arrays, out int refCount, out long size)
    {
        var description = new StringBuilder();
        var b = new FlatBuilder();
        var arrayOffsets = new List<int>();
        refCount = 0;
        foreach (var node in arrays)
        {
            var refs = new List<int>();
            foreach (var chunk in node.Array!.Chunks.OrderBy(c => c.Index, IndexOrder.Instance))
            {
                refs.Add(WriteChunkRef(b, chunk));
                description.Append(node.Path).Append(' ').AppendJoin(',', chunk.Index).Append(' ').Append(Describe(chunk)).Append('\n');
                refCount++;
            }

            int refVector = b.CreateOffsetVector(refs);
            b.StartTable();
            b.AddStruct(Slots.ArrayManifest.NodeId, NodeId(node.Path), 1);
            b.AddOffset(Slots.ArrayManifest.Refs, refVector);
            arrayOffsets.Add(b.EndTable());
        }

        string id = IdOf("manifest", Encoding.UTF8.GetBytes(description.ToString()));
        int arrayVector = b.CreateOffsetVector(arrayOffsets);
        b.StartTable();
        b.AddStruct(Slots.Manifest.Id, Id12(id), 1);
        b.AddOffset(Slots.Manifest.Arrays, arrayVector);
        b.AddUInt8(Slots.Manifest.CompressionAlgorithm, 0);
        var file = Envelope(IcechunkFileType.Manifest, b.Finish(b.EndTable()));
        size = file.Length;
        WriteFile("manifests/" + id, file);
        return id;
    }

    private static string Describe(ChunkSpec chunk) => chunk switch
    {
        InlineChunkSpec i => "inline " + Convert.ToHexString(SHA256.HashData(i.Bytes)),
        NativeChunkSpec n => $"native {n.ChunkId} {n.Offset} {n.Length}",
        VirtualChunkSpec v => $"virtual {v.Url} {v.Offset} {v.Length}",
        _ => throw new ArgumentOutOfRangeException(nameof(chunk)),
    };

    private static int WriteChunkRef(FlatBuilder b, ChunkSpec chunk)
    {
        int index = b.CreateVector(chunk.Index.SelectMany(BitConverter.GetBytes).ToArray(), 4, 4);
        int? inline = chunk is InlineChunkSpec i ? b.CreateVector(i.Bytes, 1, 1) : null;
        int? location = chunk is VirtualChunkSpec v ? b.CreateString(v.Url) : null;
        b.StartTable();
        b.AddOffset(Slots.ChunkRef.Index, index);
        switch (chunk)
        {
            case InlineChunkSpec:
                b.AddOffset(Slots.ChunkRef.Inline, inline!.Value);
                break;
            case NativeChunkSpec n:
                b.AddUInt64(Slots.ChunkRef.Offset, n.Offset);
                b.AddUInt64(Slots.ChunkRef.Length, n.Length);
                b.AddStruct(Slots.ChunkRef.ChunkId, Id12(n.ChunkId), 1);
                break;
            case VirtualChunkSpec vc:
                b.AddUInt64(Slots.ChunkRef.Offset, vc.Offset);
                b.AddUInt64(Slots.ChunkRef.Length, vc.Length);
                b.AddOffset(Slots.ChunkRef.Location, location!.Value);
                break;
        }

        return b.EndTable();
    }

    private int WriteNode(FlatBuilder b, NodeSpec node, string? manifestId)
    {
        int path = b.CreateString(node.Path);
        int userData = b.CreateVector(node.ZarrJson, 1, 1);
        int data;
        if (node.Array is { } array)
        {
            var shapes = new List<int>();
            for (int d = 0; d < array.Shape.Length; d++)
            {
                b.StartTable();
                b.AddUInt64(0, array.Shape[d]);
                b.AddUInt32(1, array.NumChunks[d]);
                shapes.Add(b.EndTable());
            }

            var names = new List<int>();
            foreach (var name in array.DimensionNames)
            {
                int? text = name is null ? null : b.CreateString(name);
                b.StartTable();
                if (text is { } t)
                {
                    b.AddOffset(0, t);
                }

                names.Add(b.EndTable());
            }

            var manifests = new List<int>();
            if (manifestId is not null)
            {
                var extents = new byte[8 * array.Shape.Length];
                for (int d = 0; d < array.Shape.Length; d++)
                {
                    BitConverter.GetBytes(array.NumChunks[d]).CopyTo(extents, (8 * d) + 4);
                }

                int extentVector = b.CreateVector(extents, 8, 4);
                b.StartTable();
                b.AddStruct(Slots.ManifestRef.ObjectId, Id12(manifestId), 1);
                b.AddOffset(Slots.ManifestRef.Extents, extentVector);
                manifests.Add(b.EndTable());
            }

            int shapeV1 = b.CreateVector([], Slots.ArrayNodeData.DimensionShapeSize, 8);
            int nameVector = b.CreateOffsetVector(names);
            int manifestVector = b.CreateOffsetVector(manifests);
            int shapeV2 = b.CreateOffsetVector(shapes);
            b.StartTable();
            b.AddOffset(Slots.ArrayNodeData.Shape, shapeV1);
            b.AddOffset(1, nameVector);
            b.AddOffset(Slots.ArrayNodeData.Manifests, manifestVector);
            b.AddOffset(Slots.ArrayNodeData.ShapeV2, shapeV2);
            data = b.EndTable();
        }
        else
        {
            b.StartTable();
            data = b.EndTable();
        }

        b.StartTable();
        b.AddStruct(Slots.NodeSnapshot.Id, NodeId(node.Path), 1);
        b.AddOffset(Slots.NodeSnapshot.Path, path);
        b.AddOffset(Slots.NodeSnapshot.UserData, userData);
        b.AddUInt8(Slots.NodeSnapshot.NodeDataType, node.Array is null ? Slots.NodeSnapshot.GroupType : Slots.NodeSnapshot.ArrayType);
        b.AddOffset(Slots.NodeSnapshot.NodeData, data);
        return b.EndTable();
    }

    private static int ManifestInfo(FlatBuilder b, string manifestId, int refCount, long size)
    {
        b.StartTable();
        b.AddStruct(0, Id12(manifestId), 1);
        b.AddUInt64(1, (ulong)size);
        b.AddUInt32(2, (uint)refCount);
        return b.EndTable();
    }

    private void WriteTransactionLog(string id)
    {
        var b = new FlatBuilder();
        var empty = Enumerable.Range(0, 7).Select(_ => b.CreateVector([], 8, 1)).ToArray();
        empty[6] = b.CreateOffsetVector([]);
        b.StartTable();
        b.AddStruct(Slots.TransactionLog.Id, Id12(id), 1);
        for (int slot = 1; slot <= 7; slot++)
        {
            b.AddOffset(slot, empty[slot - 1]);
        }

        WriteFile("transactions/" + id, Envelope(IcechunkFileType.TransactionLog, b.Finish(b.EndTable())));
    }

    private static int Refs(FlatBuilder b, IReadOnlyDictionary<string, string> refs, Func<string, int> indexOf)
    {
        var offsets = new List<int>();
        foreach (var (name, id) in refs.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            int text = b.CreateString(name);
            b.StartTable();
            b.AddOffset(Slots.Ref.Name, text);
            b.AddUInt32(Slots.Ref.SnapshotIndex, (uint)indexOf(id));
            offsets.Add(b.EndTable());
        }

        return b.CreateOffsetVector(offsets);
    }

    private static byte[] Envelope(IcechunkFileType type, byte[] payload)
    {
        using var zstd = new Compressor(3);
        var compressed = zstd.Wrap(payload).ToArray();
        var header = new byte[IcechunkFile.HeaderLength];
        "ICE🧊CHUNK"u8.CopyTo(header);
        Encoding.ASCII.GetBytes(Implementation.PadRight(24)).CopyTo(header, 12);
        header[36] = 2;
        header[37] = (byte)type;
        header[38] = 1;
        return [.. header, .. compressed];
    }

    private void WriteFile(string key, byte[] bytes)
    {
        string path = System.IO.Path.Combine(root, key.Replace('/', System.IO.Path.DirectorySeparatorChar));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    private static string IdOf(string kind, byte[] content) =>
        Crockford.Encode(SHA256.HashData([.. Encoding.ASCII.GetBytes(kind), .. content]).AsSpan(0, 12));

    private static byte[] Id12(string id) =>
        Crockford.TryDecode(id, 12, out var bytes) ? bytes : throw new ArgumentException($"'{id}' is not an object id", nameof(id));

    private static byte[] NodeId(string path) => SHA256.HashData(Encoding.UTF8.GetBytes("node:" + path))[..8];

    private static ulong Micros(DateTimeOffset time) => (ulong)((time - DateTimeOffset.UnixEpoch).Ticks / 10);

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static ByteOrder Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    private sealed class IndexOrder : IComparer<uint[]>
    {
        public static IndexOrder Instance { get; } = new();

        public int Compare(uint[]? x, uint[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
