using System.Text.Json.Nodes;
using TileServer.GeoZarr;
using TileServer.Icechunk;
using TileServer.Reading.Catalog;
using TileServer.Zarr;

namespace TileServer.Reading.Inspection;

/// <summary>
/// Reports what the server sees in a store, as <c>gdalinfo</c> does for a raster: the store or repository snapshot,
/// every group and array with its metadata, what the GeoZarr reader understands of it, and every problem found on the
/// way (metadata that does not parse, a first chunk that does not decode, a dataset that cannot be opened). Failures
/// become problems in the error model's words; only cancellation escapes.
/// </summary>
public sealed class StoreInspector
{
    /// <summary>Most elements <see cref="InspectionRequest.ValuesOf"/> reads (16 Mi: 128 MiB as doubles).</summary>
    public const long MaxValues = 16L * 1024 * 1024;

    private readonly DatasetSources _sources;
    private readonly ZarrReaderOptions _zarr;
    private readonly GeoDatasetReader _geo;

    public StoreInspector(DatasetSources sources, ZarrReaderOptions zarr, GeoDatasetReader geo)
    {
        _sources = sources;
        // An inspection looks for every problem: arrays listed in consolidated metadata are checked against their own document.
        _zarr = zarr with { VerifyConsolidatedMetadata = true };
        _geo = geo;
    }

    public async Task<InspectionReport> InspectAsync(InspectionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<InspectionProblem>();
        IcechunkRef? reference = null;
        if (!string.IsNullOrWhiteSpace(request.Ref))
        {
            try
            {
                reference = IcechunkRef.Parse(request.Ref.Trim());
            }
            catch (FormatException ex)
            {
                return Unreadable(request, new InspectionProblem("", nameof(FailureKind.BadRequest), ex.Message));
            }
        }

        DatasetSource source;
        ZarrHierarchy hierarchy;
        try
        {
            source = await _sources.OpenAsync(request.Path, null, reference, cancellationToken).ConfigureAwait(false);
            hierarchy = await ZarrHierarchy.OpenAsync(source.Store, _zarr, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Unreadable(request, Problem("", ex));
        }

        var (paths, from, truncated) = await Guard(() => NodeDiscovery.FindAsync(hierarchy, cancellationToken), "", problems).ConfigureAwait(false);
        paths ??= [""];
        if (truncated)
        {
            problems.Add(new InspectionProblem("", nameof(FailureKind.TooLarge), $"the store has more than {NodeDiscovery.MaxNodes} groups and arrays; only the first {NodeDiscovery.MaxNodes} are shown"));
        }

        string? valuesPath = request.ValuesOf?.Trim('/');
        if (valuesPath is not null && !paths.Contains(valuesPath, StringComparer.Ordinal))
        {
            paths = [.. paths, valuesPath];
        }

        var nodes = new List<InspectedNode>();
        foreach (var path in paths)
        {
            if (await InspectNodeAsync(hierarchy, path, problems, cancellationToken).ConfigureAwait(false) is { } node)
            {
                nodes.Add(node);
            }
        }

        var dataset = await Guard(() => UnderstandAsync(hierarchy, nodes, cancellationToken), "", problems).ConfigureAwait(false);
        ArrayValues? values = null;
        if (valuesPath is not null)
        {
            values = await Guard(() => ReadValuesAsync(hierarchy, valuesPath, cancellationToken), valuesPath, problems).ConfigureAwait(false);
        }

        return new InspectionReport
        {
            Path = request.Path,
            Readable = true,
            Source = source.Description,
            Snapshot = source.Version,
            ZarrFormat = hierarchy.ZarrFormat,
            Consolidated = hierarchy.IsConsolidated,
            NodesFrom = from,
            Nodes = nodes,
            Dataset = dataset,
            // A fault found at its node is often what also stops the dataset from opening: say it once, where it is.
            Problems = [.. problems.DistinctBy(p => p.Message, StringComparer.Ordinal)],
            Values = values,
        };
    }

    private static async Task<InspectedNode?> InspectNodeAsync(ZarrHierarchy hierarchy, string path, List<InspectionProblem> problems, CancellationToken cancellationToken)
    {
        try
        {
            var array = await hierarchy.GetArrayAsync(path, cancellationToken).ConfigureAwait(false);
            if (array is not null)
            {
                await CheckFirstChunkAsync(array, problems, cancellationToken).ConfigureAwait(false);
                return Describe(array);
            }

            var group = await hierarchy.GetGroupAsync(path, cancellationToken).ConfigureAwait(false);
            if (group is not null)
            {
                return new InspectedNode { Path = path, NodeType = "group", ZarrFormat = group.ZarrFormat, Attributes = group.Attributes };
            }

            problems.Add(new InspectionProblem(path, nameof(FailureKind.NotFound), $"no group or array at '{path}'"));
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            problems.Add(Problem(path, ex));
            return new InspectedNode { Path = path, NodeType = "array" };
        }
    }

    /// <summary>Decodes the chunk holding the array's first element, so that a codec or layout fault shows here rather than on the first tile.</summary>
    private static async Task CheckFirstChunkAsync(ZarrArray array, List<InspectionProblem> problems, CancellationToken cancellationToken)
    {
        if (array.Metadata.Shape.Any(s => s == 0))
        {
            return;
        }

        try
        {
            var one = new double[1];
            await array.ReadAsync<double>(array.Metadata.Shape.Select(_ => DimSlice.Single(0)).ToArray(), one, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            problems.Add(Problem(array.Path, ex));
        }
    }

    private static InspectedNode Describe(ZarrArray array)
    {
        var m = array.Metadata;
        bool sharded = !m.ChunkShape.SequenceEqual(array.ReadChunkShape);
        return new InspectedNode
        {
            Path = array.Path,
            NodeType = "array",
            ZarrFormat = m.ZarrFormat,
            Shape = m.Shape,
            DataType = DataTypeName(m.DataType),
            ChunkShape = array.ReadChunkShape,
            ShardShape = sharded ? m.ChunkShape : null,
            Codecs = m.CodecSummary,
            FillValue = m.FillValue is { } f ? Number(f) : null,
            // A 0-d array has no dimensions to name, whether or not its metadata says so.
            DimensionNames = m.DimensionNames ?? (m.Shape.Count == 0 ? [] : null),
            Attributes = m.Attributes,
        };
    }

    private async Task<InspectedDataset> UnderstandAsync(ZarrHierarchy hierarchy, List<InspectedNode> nodes, CancellationToken cancellationToken)
    {
        // Without consolidated metadata the reader cannot find variables itself: offer the root arrays found here.
        IReadOnlyList<string>? variables = hierarchy.IsConsolidated
            ? null
            : nodes.Where(n => n.NodeType == "array" && n.Shape is { Count: >= 2 } && !n.Path.Contains('/', StringComparison.Ordinal)).Select(n => n.Path).ToList();
        var dataset = await _geo.OpenAsync(hierarchy, new GeoDatasetOptions { Id = "inspect", Variables = variables is { Count: > 0 } ? variables : null }, cancellationToken).ConfigureAwait(false);
        var finest = dataset.Finest;
        var first = finest.Variables[dataset.VariableNames[0]];
        string groupPath = finest.Path;
        var groupAttributes = groupPath.Length == 0 ? dataset.Attributes : (await hierarchy.GetGroupAsync(groupPath, cancellationToken).ConfigureAwait(false))?.Attributes ?? [];
        var attributesByName = nodes.Where(n => n.NodeType == "array").ToDictionary(n => n.Path, n => n.Attributes, StringComparer.Ordinal);
        string prefix = groupPath.Length == 0 ? "" : groupPath + "/";
        string crsSource = CrsProvenance.Describe(
            (first.Name, first.Attributes),
            (groupPath, groupAttributes, dataset.Attributes),
            name => attributesByName.GetValueOrDefault(prefix + name),
            dataset.Notes);

        var time = first.Dimensions.FirstOrDefault(d => d.IsTime);
        var grid = first.Grid;
        return new InspectedDataset
        {
            Variables = dataset.VariableNames,
            Crs = grid.Crs.Code ?? Shorten(grid.Crs.Wkt),
            CrsSource = crsSource,
            YDimension = first.Dimensions[first.YDim].Name,
            XDimension = first.Dimensions[first.XDim].Name,
            GridKind = grid.Transform.IsRectilinear ? "regular" : "affine (rotated or sheared)",
            MultiscaleLayout = dataset.MultiscaleLayout,
            Levels = dataset.Levels.Select(l => new InspectedLevel(
                l.Path, l.Grid.Width, l.Grid.Height, l.Grid.ResolutionX, l.Grid.ResolutionY, l.Grid.Transform.ToGdal(),
                [l.Grid.Bounds.MinX, l.Grid.Bounds.MinY, l.Grid.Bounds.MaxX, l.Grid.Bounds.MaxY], l.TileMatrixId)).ToList(),
            Time = time is null ? null : new InspectedTime(time.Name, time.Size, time.Labels?.FirstOrDefault(), time.Labels?.LastOrDefault()),
            Notes = dataset.Notes,
        };
    }

    private static async Task<ArrayValues> ReadValuesAsync(ZarrHierarchy hierarchy, string path, CancellationToken cancellationToken)
    {
        var array = await hierarchy.GetArrayAsync(path, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Unknown array", $"no array at '{path}' to read values from");
        var shape = array.Metadata.Shape;
        long count = 1;
        foreach (var n in shape)
        {
            count = n == 0 ? 0 : (count > MaxValues / n ? MaxValues + 1 : count * n);
        }

        if (count > MaxValues)
        {
            throw new TooLargeException($"'{path}' has more than {MaxValues} elements, more than values are printed for; inspect a smaller array");
        }

        var window = shape.Select(DimSlice.All).ToArray();
        string type = DataTypeName(array.Metadata.DataType);
        ArrayValueBuffer buffer;
        switch (array.Metadata.DataType)
        {
            case ZarrDataType.Float16 or ZarrDataType.Float32 or ZarrDataType.Float64:
                var floats = new double[count];
                await array.ReadAsync<double>(window, floats, cancellationToken).ConfigureAwait(false);
                buffer = new ArrayValueBuffer(null, null, floats);
                break;
            case ZarrDataType.UInt64:
                var unsigned = new ulong[count];
                await array.ReadAsync<ulong>(window, unsigned, cancellationToken).ConfigureAwait(false);
                buffer = new ArrayValueBuffer(null, unsigned, null);
                break;
            default:
                var signed = new long[count];
                await array.ReadAsync<long>(window, signed, cancellationToken).ConfigureAwait(false);
                buffer = new ArrayValueBuffer(signed, null, null);
                break;
        }

        return new ArrayValues(array.Path, shape, type, buffer);
    }

    private static async Task<T?> Guard<T>(Func<Task<T>> step, string path, List<InspectionProblem> problems)
    {
        try
        {
            return await step().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            problems.Add(Problem(path, ex));
            return default;
        }
    }

    private static InspectionReport Unreadable(InspectionRequest request, InspectionProblem problem) =>
        new() { Path = request.Path, Readable = false, Problems = [problem] };

    /// <summary>Our own exceptions speak for themselves; anything else is reported by type, as a fault of the server.</summary>
    private static InspectionProblem Problem(string path, Exception ex) => ex is TileServerException ours
        ? new InspectionProblem(path, ours.Kind.ToString(), ours.Message)
        : new InspectionProblem(path, "Internal", $"unexpected {ex.GetType().Name}: {ex.Message}");

    internal static string DataTypeName(ZarrDataType type) => type.ToString().ToLowerInvariant();

    internal static JsonNode Number(double value) => double.IsFinite(value)
        ? JsonValue.Create(value)
        : JsonValue.Create(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");

    private static string Shorten(string wkt) => wkt.Length <= 60 ? wkt : wkt[..57] + "...";
}
