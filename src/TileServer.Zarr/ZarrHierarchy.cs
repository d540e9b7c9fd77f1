using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using TileServer.Storage;
using TileServer.Zarr.Codecs;
using TileServer.Zarr.Metadata;

namespace TileServer.Zarr;

/// <summary>
/// An opened Zarr store (v2 or v3). Opening reads the root metadata and, when present, consolidated
/// metadata; it never lists keys. Nodes are addressed by '/'-separated paths relative to the root ("" = root).
/// </summary>
public sealed class ZarrHierarchy
{
    private readonly Dictionary<string, NodeDocument> _consolidated = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<ZarrArray?>> _arrays = new(StringComparer.Ordinal);
    private readonly CodecRegistry _registry = CodecRegistry.Default;

    private ZarrHierarchy(IByteStore store, ZarrReaderOptions options)
    {
        Store = store;
        Options = options;
    }

    public IByteStore Store { get; }
    public ZarrReaderOptions Options { get; }

    /// <summary>2 or 3: the format of the root node.</summary>
    public int ZarrFormat { get; private set; }

    /// <summary>True when the root held consolidated metadata (then <see cref="ListChildren"/> is complete).</summary>
    public bool IsConsolidated { get; private set; }

    /// <summary>
    /// A node's metadata documents: v2 <c>.zarray</c>/<c>.zgroup</c> with <c>.zattrs</c>, or a v3 <c>zarr.json</c>;
    /// <see cref="Consolidated"/> when they are the copy held in consolidated metadata.
    /// </summary>
    private sealed record NodeDocument(bool IsArray, JsonObject Document, JsonObject? Attributes, bool Consolidated = false);

    public static async Task<ZarrHierarchy> OpenAsync(IByteStore store, ZarrReaderOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        var h = new ZarrHierarchy(store, options);
        var v3 = await store.GetAsync("zarr.json", null, cancellationToken).ConfigureAwait(false);
        if (v3 is not null)
        {
            h.ZarrFormat = 3;
            var root = JsonHelpers.ParseObject(v3, "", "zarr.json");
            CheckV3Format(root, "");
            h.AddV3Consolidated("", root);
            h.IsConsolidated = root["consolidated_metadata"] is JsonObject;
            h._consolidated[""] = new NodeDocument(JsonHelpers.GetString(root, "node_type") == "array", root, null);
            return h;
        }

        var zmetadata = await store.GetAsync(".zmetadata", null, cancellationToken).ConfigureAwait(false);
        if (zmetadata is not null)
        {
            h.ZarrFormat = 2;
            h.IsConsolidated = true;
            h.AddV2Consolidated(JsonHelpers.ParseObject(zmetadata, "", ".zmetadata"));
            return h;
        }

        if (await store.GetAsync(".zgroup", null, cancellationToken).ConfigureAwait(false) is not null
            || await store.GetAsync(".zarray", null, cancellationToken).ConfigureAwait(false) is not null)
        {
            h.ZarrFormat = 2;
            return h;
        }

        throw new ZarrFormatException("", $"no Zarr metadata (zarr.json, .zmetadata, .zgroup or .zarray) at the root of '{store.Location}'");
    }

    /// <summary>Group metadata at a path, or null when no group is there.</summary>
    public async ValueTask<ZarrGroupMetadata?> GetGroupAsync(string path, CancellationToken cancellationToken = default)
    {
        path = Normalize(path);
        var node = await GetNodeAsync(path, wantArray: false, cancellationToken).ConfigureAwait(false);
        if (node is null || node.IsArray)
        {
            return null;
        }

        var attributes = ZarrFormat == 2 ? JsonHelpers.CloneObject(node.Attributes) : JsonHelpers.CloneObject(node.Document["attributes"]);
        return new ZarrGroupMetadata { ZarrFormat = ZarrFormat, Attributes = attributes };
    }

    /// <summary>
    /// The attributes of the array at a path without interpreting its metadata (null when no array is there): what a
    /// reader can still learn from an array whose data type it cannot read, such as a CF grid mapping stored as a
    /// character scalar.
    /// </summary>
    public async ValueTask<JsonObject?> GetArrayAttributesAsync(string path, CancellationToken cancellationToken = default)
    {
        path = Normalize(path);
        var node = await GetNodeAsync(path, wantArray: true, cancellationToken).ConfigureAwait(false);
        if (node is null || !node.IsArray)
        {
            return null;
        }

        return ZarrFormat == 2 ? JsonHelpers.CloneObject(node.Attributes) : JsonHelpers.CloneObject(node.Document["attributes"]);
    }

    /// <summary>Array at a path, or null when no array is there. Arrays are opened once and shared (with their shard index cache).</summary>
    public ValueTask<ZarrArray?> GetArrayAsync(string path, CancellationToken cancellationToken = default)
    {
        path = Normalize(path);
        var task = _arrays.GetOrAdd(path, p => OpenArrayAsync(p, cancellationToken));
        if (task.IsCompletedSuccessfully && task.Result is not null)
        {
            return new ValueTask<ZarrArray?>(task.Result);
        }

        return AwaitArray(path, task);
    }

    private async ValueTask<ZarrArray?> AwaitArray(string path, Task<ZarrArray?> task)
    {
        try
        {
            var array = await task.ConfigureAwait(false);
            if (array is null)
            {
                // Absent nodes are not remembered, so arbitrary requested paths cannot grow this map.
                _arrays.TryRemove(new KeyValuePair<string, Task<ZarrArray?>>(path, task));
            }

            return array;
        }
        catch
        {
            _arrays.TryRemove(new KeyValuePair<string, Task<ZarrArray?>>(path, task));
            throw;
        }
    }

    private async Task<ZarrArray?> OpenArrayAsync(string path, CancellationToken cancellationToken)
    {
        var node = await GetNodeAsync(path, wantArray: true, cancellationToken).ConfigureAwait(false);
        if (node is null || !node.IsArray)
        {
            return null;
        }

        var definition = Parse(node.Document, node.Attributes, path);
        if (node.Consolidated && Options.VerifyConsolidatedMetadata)
        {
            await VerifyConsolidatedAsync(path, definition, node.Attributes, cancellationToken).ConfigureAwait(false);
        }

        return new ZarrArray(path, definition, Store, Options);
    }

    private ArrayDefinition Parse(JsonObject document, JsonObject? attributes, string path) => ZarrFormat == 2
        ? ArrayMetadataParser.ParseV2(document, attributes, path, _registry)
        : ArrayMetadataParser.ParseV3(document, path, _registry);

    /// <summary>
    /// Compares the consolidated copy of an array's metadata with the array's own document, when the store has one
    /// (a store may hold only the consolidated copy; it is then the only description there is).
    /// </summary>
    private async Task VerifyConsolidatedAsync(string path, ArrayDefinition consolidated, JsonObject? attributes, CancellationToken cancellationToken)
    {
        string key = (path.Length == 0 ? "" : path + "/") + (ZarrFormat == 3 ? "zarr.json" : ".zarray");
        var bytes = await Store.GetAsync(key, null, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return;
        }

        string summary = ZarrFormat == 3 ? "the consolidated metadata in zarr.json" : ".zmetadata";
        var doc = JsonHelpers.ParseObject(bytes, path, key);
        if (ZarrFormat == 3)
        {
            CheckV3Format(doc, path);
            if (JsonHelpers.GetString(doc, "node_type") != "array")
            {
                throw new ZarrFormatException(path, $"{summary} lists an array here but '{key}' describes a group; re-consolidate the store");
            }
        }

        if (consolidated.FirstDifference(Parse(doc, attributes, path)) is { } difference)
        {
            throw new ZarrFormatException(path, $"{summary} and '{key}' disagree: {difference}; re-consolidate the store");
        }
    }

    /// <summary>Direct children (name, isArray) of a group as known from consolidated metadata; empty when not consolidated.</summary>
    public IReadOnlyList<(string Name, bool IsArray)> ListChildren(string groupPath)
    {
        groupPath = Normalize(groupPath);
        string prefix = groupPath.Length == 0 ? "" : groupPath + "/";
        var result = new List<(string Name, bool IsArray)>();
        foreach (var (path, node) in _consolidated)
        {
            if (path.Length > prefix.Length && path.StartsWith(prefix, StringComparison.Ordinal) && path.IndexOf('/', prefix.Length) < 0)
            {
                result.Add((path[prefix.Length..], node.IsArray));
            }
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return result;
    }

    private static string Normalize(string path) => (path ?? "").Trim('/');

    private async ValueTask<NodeDocument?> GetNodeAsync(string path, bool wantArray, CancellationToken cancellationToken)
    {
        if (_consolidated.TryGetValue(path, out var known))
        {
            return known;
        }

        string prefix = path.Length == 0 ? "" : path + "/";
        if (ZarrFormat == 3)
        {
            var bytes = await Store.GetAsync(prefix + "zarr.json", null, cancellationToken).ConfigureAwait(false);
            if (bytes is null)
            {
                return null;
            }

            var doc = JsonHelpers.ParseObject(bytes, path, prefix + "zarr.json");
            CheckV3Format(doc, path);
            return new NodeDocument(JsonHelpers.GetString(doc, "node_type") == "array", doc, null);
        }

        string first = wantArray ? ".zarray" : ".zgroup";
        string second = wantArray ? ".zgroup" : ".zarray";
        var main = await Store.GetAsync(prefix + first, null, cancellationToken).ConfigureAwait(false);
        bool isArray = wantArray;
        if (main is null)
        {
            main = await Store.GetAsync(prefix + second, null, cancellationToken).ConfigureAwait(false);
            isArray = !wantArray;
            if (main is null)
            {
                return null;
            }
        }

        var attrs = await Store.GetAsync(prefix + ".zattrs", null, cancellationToken).ConfigureAwait(false);
        return new NodeDocument(
            isArray,
            JsonHelpers.ParseObject(main, path, prefix + (isArray ? ".zarray" : ".zgroup")),
            attrs is null ? null : JsonHelpers.ParseObject(attrs, path, prefix + ".zattrs"));
    }

    private static void CheckV3Format(JsonObject doc, string path)
    {
        if (doc["zarr_format"] is not JsonValue v || !v.TryGetValue(out int format) || format != 3)
        {
            throw new ZarrFormatException(path, "zarr.json does not say zarr_format 3");
        }

        if (JsonHelpers.GetString(doc, "node_type") is not ("array" or "group"))
        {
            throw new ZarrFormatException(path, "zarr.json node_type must be 'array' or 'group'");
        }
    }

    private void AddV3Consolidated(string basePath, JsonObject group)
    {
        if (group["consolidated_metadata"] is not JsonObject cm || cm["metadata"] is not JsonObject metadata)
        {
            return;
        }

        foreach (var (key, value) in metadata)
        {
            if (value is not JsonObject doc)
            {
                continue;
            }

            string path = basePath.Length == 0 ? key.Trim('/') : basePath + "/" + key.Trim('/');
            bool isArray = JsonHelpers.GetString(doc, "node_type") == "array";
            if (isArray && _consolidated.TryGetValue(path, out var known) && known.IsArray && !JsonNode.DeepEquals(known.Document, doc))
            {
                // A nested group's consolidated metadata and its parent's both describe this array, differently.
                throw new ZarrFormatException(path, "the consolidated metadata in zarr.json describes this array twice, differently; re-consolidate the store");
            }

            _consolidated[path] = new NodeDocument(isArray, doc, null, Consolidated: true);
            if (!isArray)
            {
                AddV3Consolidated(path, doc);
            }
        }
    }

    private void AddV2Consolidated(JsonObject zmetadata)
    {
        if (zmetadata["metadata"] is not JsonObject metadata)
        {
            throw new ZarrFormatException("", ".zmetadata has no 'metadata' object");
        }

        var attributes = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var documents = new Dictionary<string, (bool IsArray, JsonObject Doc)>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            if (value is not JsonObject doc)
            {
                continue;
            }

            int slash = key.LastIndexOf('/');
            string node = slash < 0 ? "" : key[..slash];
            string file = slash < 0 ? key : key[(slash + 1)..];
            switch (file)
            {
                case ".zarray": documents[node] = (true, doc); break;
                case ".zgroup": documents[node] = (false, doc); break;
                case ".zattrs": attributes[node] = doc; break;
            }
        }

        foreach (var (node, (isArray, doc)) in documents)
        {
            _consolidated[node] = new NodeDocument(isArray, doc, attributes.GetValueOrDefault(node), Consolidated: true);
        }
    }
}
