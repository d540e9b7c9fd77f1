using System.Text.Json.Nodes;

namespace TileServer.Icechunk.Tests.Writer;

/// <summary>
/// Builds tests/data/icechunk/global-4326.icechunk from the Zarr v3 GeoZarr store global-4326.zarr beside it:
/// <list type="bullet">
/// <item>the initial snapshot (an empty root group), as every repository starts;</item>
/// <item>"write global-4326" (branch <c>main</c>, tag <c>v1</c>): every node's zarr.json as in the store, the
/// coordinate chunks inline, and the <c>tas</c> shards packed into one chunk file, each referenced by offset
/// and length;</item>
/// <item>"tas as virtual references" (branch <c>virtual</c>): the same, with <c>tas</c> read from the source store
/// through virtual references under <see cref="VirtualPrefix"/>;</item>
/// <item>a deleted tag <c>withdrawn</c>.</item>
/// </list>
/// </summary>
internal static class GeoZarrFixture
{
    public const string VirtualPrefix = "s3://geozarr-fixtures/";
    public const string SourceName = "global-4326.zarr";
    public const string PackedArray = "/tas";

    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static void Build(string source, string target)
    {
        var writer = new IcechunkWriter(target);
        var initial = writer.WriteSnapshot(IcechunkWriter.InitialSnapshotId, "Repository initialized", Start,
            [new NodeSpec("/", """{"zarr_format":3,"node_type":"group","attributes":{}}"""u8.ToArray(), null)]);

        var nodes = ReadNodes(source);
        var packed = Pack(writer, source, nodes);
        var written = writer.WriteSnapshot(null, "write global-4326", Start.AddHours(1), packed);
        var virtualNodes = nodes.Select(n => n.Path == PackedArray ? n with { Array = n.Array! with { Chunks = Virtual(source, n) } } : Inline(source, n)).ToList();
        var withVirtual = writer.WriteSnapshot(null, "tas as virtual references", Start.AddHours(2), virtualNodes);

        writer.WriteRepo(
            [
                new CommitSpec(initial, null, "Repository initialized", Start),
                new CommitSpec(written, initial, "write global-4326", Start.AddHours(1)),
                new CommitSpec(withVirtual, written, "tas as virtual references", Start.AddHours(2)),
            ],
            new Dictionary<string, string> { ["main"] = written, ["virtual"] = withVirtual },
            new Dictionary<string, string> { ["v1"] = written },
            ["withdrawn"]);
    }

    /// <summary>Every group and array of the store, with the chunk files of each array (not yet referenced).</summary>
    private static List<NodeSpec> ReadNodes(string source)
    {
        var nodes = new List<NodeSpec>();
        foreach (var file in Directory.EnumerateFiles(source, "zarr.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(source, Path.GetDirectoryName(file)!).Replace('\\', '/');
            string path = relative == "." ? "/" : "/" + relative;
            var json = File.ReadAllBytes(file);
            var doc = JsonNode.Parse(json)!.AsObject();
            if (doc["node_type"]!.GetValue<string>() == "group")
            {
                nodes.Add(new NodeSpec(path, json, null));
                continue;
            }

            var shape = doc["shape"]!.AsArray().Select(v => v!.GetValue<ulong>()).ToArray();
            var chunkShape = doc["chunk_grid"]!["configuration"]!["chunk_shape"]!.AsArray().Select(v => v!.GetValue<ulong>()).ToArray();
            var numChunks = shape.Zip(chunkShape, (s, c) => (uint)((s + c - 1) / c)).ToArray();
            var names = doc["dimension_names"] is JsonArray n ? n.Select(v => v?.GetValue<string>()).ToArray() : new string?[shape.Length];
            nodes.Add(new NodeSpec(path, json, new ArraySpec(shape, numChunks, names, [])));
        }

        return nodes;
    }

    private static List<NodeSpec> Pack(IcechunkWriter writer, string source, List<NodeSpec> nodes)
    {
        var result = new List<NodeSpec>();
        foreach (var node in nodes)
        {
            if (node.Path != PackedArray)
            {
                result.Add(Inline(source, node));
                continue;
            }

            var files = ChunkFiles(source, node).ToList();
            var pack = new MemoryStream();
            var placed = new List<(uint[] Index, long Offset, long Length)>();
            foreach (var (index, file) in files)
            {
                var bytes = File.ReadAllBytes(file);
                placed.Add((index, pack.Length, bytes.Length));
                pack.Write(bytes);
            }

            string chunkId = writer.WriteChunkFile(pack.ToArray());
            var chunks = placed.Select(p => (ChunkSpec)new NativeChunkSpec(p.Index, chunkId, (ulong)p.Offset, (ulong)p.Length)).ToList();
            result.Add(node with { Array = node.Array! with { Chunks = chunks } });
        }

        return result;
    }

    private static NodeSpec Inline(string source, NodeSpec node) =>
        node.Array is null
            ? node
            : node with { Array = node.Array with { Chunks = ChunkFiles(source, node).Select(c => (ChunkSpec)new InlineChunkSpec(c.Index, File.ReadAllBytes(c.File))).ToList() } };

    private static List<ChunkSpec> Virtual(string source, NodeSpec node) =>
        ChunkFiles(source, node)
            .Select(c => (ChunkSpec)new VirtualChunkSpec(
                c.Index,
                VirtualPrefix + SourceName + "/" + Path.GetRelativePath(source, c.File).Replace('\\', '/'),
                0,
                (ulong)new FileInfo(c.File).Length))
            .ToList();

    /// <summary>The chunk files of an array (<c>c/i/j/k</c>; <c>c</c> alone for a zero-dimensional array) with their indexes.</summary>
    private static IEnumerable<(uint[] Index, string File)> ChunkFiles(string source, NodeSpec node)
    {
        string folder = Path.Combine(source, node.Path.TrimStart('/'));
        string single = Path.Combine(folder, "c");
        if (File.Exists(single))
        {
            yield return ([], single);
            yield break;
        }

        if (!Directory.Exists(single))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(single, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var index = Path.GetRelativePath(single, file).Split(Path.DirectorySeparatorChar).Select(uint.Parse).ToArray();
            yield return (index, file);
        }
    }
}
