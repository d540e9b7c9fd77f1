using System.Text.Json;
using System.Text.Json.Nodes;

namespace TileServer.Reading.Inspection;

/// <summary>
/// Writes an <see cref="InspectionReport"/> as one JSON document —
/// <c>{"path", "readable", "source", ..., "nodes": [{"path", "node_type", "shape", "dtype", "chunk_shape", "attributes", "values"?...}], "dataset", "problems"}</c>
/// — and array values as nested lists in C order (non-finite numbers as the strings "NaN", "Infinity", "-Infinity").
/// </summary>
public static class InspectionJson
{
    public static void Write(Utf8JsonWriter writer, InspectionReport report)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        writer.WriteStartObject();
        writer.WriteString("path", report.Path);
        writer.WriteBoolean("readable", report.Readable);
        writer.WriteString("source", report.Source);
        writer.WriteString("snapshot", report.Snapshot);
        writer.WriteNumber("zarr_format", report.ZarrFormat);
        writer.WriteBoolean("consolidated", report.Consolidated);
        writer.WriteString("nodes_from", report.NodesFrom);
        writer.WriteStartArray("nodes");
        foreach (var node in report.Nodes)
        {
            WriteNode(writer, node, report.Values is { } v && v.Path == node.Path ? v : null);
        }

        writer.WriteEndArray();
        writer.WritePropertyName("dataset");
        WriteDataset(writer, report.Dataset);
        writer.WriteStartArray("problems");
        foreach (var problem in report.Problems)
        {
            writer.WriteStartObject();
            writer.WriteString("path", problem.Path);
            writer.WriteString("kind", problem.Kind);
            writer.WriteString("message", problem.Message);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The values alone: a scalar for a 0-d array, else nested lists with the array's shape.</summary>
    public static void WriteValues(Utf8JsonWriter writer, ArrayValues values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(values);
        long index = 0;
        WriteLevel(writer, values, 0, ref index);
    }

    private static void WriteLevel(Utf8JsonWriter writer, ArrayValues values, int dimension, ref long index)
    {
        if (dimension == values.Shape.Count)
        {
            WriteElement(writer, values, index++);
            return;
        }

        writer.WriteStartArray();
        for (long i = 0; i < values.Shape[dimension]; i++)
        {
            WriteLevel(writer, values, dimension + 1, ref index);
        }

        writer.WriteEndArray();
    }

    private static void WriteElement(Utf8JsonWriter writer, ArrayValues values, long index)
    {
        var n = values.Numbers;
        if (n.Floats is { } floats)
        {
            double d = floats[index];
            if (double.IsFinite(d))
            {
                writer.WriteNumberValue(d);
            }
            else
            {
                writer.WriteStringValue(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
            }
        }
        else if (n.Unsigned is { } unsigned)
        {
            writer.WriteNumberValue(unsigned[index]);
        }
        else if (values.IsBool)
        {
            writer.WriteBooleanValue(n.Signed![index] != 0);
        }
        else
        {
            writer.WriteNumberValue(n.Signed![index]);
        }
    }

    private static void WriteNode(Utf8JsonWriter writer, InspectedNode node, ArrayValues? values)
    {
        writer.WriteStartObject();
        writer.WriteString("path", node.Path);
        writer.WriteString("node_type", node.NodeType);
        writer.WriteNumber("zarr_format", node.ZarrFormat);
        if (node.NodeType == "array")
        {
            WriteList(writer, "shape", node.Shape);
            writer.WriteString("dtype", node.DataType);
            WriteList(writer, "chunk_shape", node.ChunkShape?.Select(c => (long)c).ToList());
            WriteList(writer, "shard_shape", node.ShardShape?.Select(c => (long)c).ToList());
            writer.WriteString("codecs", node.Codecs);
            writer.WritePropertyName("fill_value");
            WriteNode(writer, node.FillValue);
            writer.WritePropertyName("dimension_names");
            WriteNode(writer, node.DimensionNames is null ? null : new JsonArray([.. node.DimensionNames.Select(n => JsonValue.Create(n))]));
        }

        writer.WritePropertyName("attributes");
        node.Attributes.WriteTo(writer);
        if (values is not null)
        {
            writer.WritePropertyName("values");
            WriteValues(writer, values);
        }

        writer.WriteEndObject();
    }

    private static void WriteDataset(Utf8JsonWriter writer, InspectedDataset? dataset)
    {
        if (dataset is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WritePropertyName("variables");
        WriteNode(writer, new JsonArray([.. dataset.Variables.Select(v => JsonValue.Create(v))]));
        writer.WriteString("crs", dataset.Crs);
        writer.WriteString("crs_source", dataset.CrsSource);
        writer.WriteString("y_dimension", dataset.YDimension);
        writer.WriteString("x_dimension", dataset.XDimension);
        writer.WriteString("grid_kind", dataset.GridKind);
        writer.WriteString("multiscale_layout", dataset.MultiscaleLayout);
        writer.WriteStartArray("levels");
        foreach (var level in dataset.Levels)
        {
            writer.WriteStartObject();
            writer.WriteString("path", level.Path);
            writer.WriteNumber("width", level.Width);
            writer.WriteNumber("height", level.Height);
            writer.WriteNumber("resolution_x", level.ResolutionX);
            writer.WriteNumber("resolution_y", level.ResolutionY);
            WriteNumbers(writer, "geotransform", level.GeoTransform);
            WriteNumbers(writer, "bounds", level.Bounds);
            writer.WriteString("tile_matrix", level.TileMatrix);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WritePropertyName("time");
        if (dataset.Time is { } time)
        {
            writer.WriteStartObject();
            writer.WriteString("dimension", time.Dimension);
            writer.WriteNumber("count", time.Count);
            writer.WriteString("first", time.First);
            writer.WriteString("last", time.Last);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WritePropertyName("notes");
        WriteNode(writer, new JsonArray([.. dataset.Notes.Select(n => JsonValue.Create(n))]));
        writer.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter writer, string name, IReadOnlyList<long>? values)
    {
        writer.WritePropertyName(name);
        if (values is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartArray();
        foreach (var v in values)
        {
            writer.WriteNumberValue(v);
        }

        writer.WriteEndArray();
    }

    private static void WriteNumbers(Utf8JsonWriter writer, string name, IReadOnlyList<double> values)
    {
        writer.WriteStartArray(name);
        foreach (var v in values)
        {
            StoreInspector.Number(v).WriteTo(writer);
        }

        writer.WriteEndArray();
    }

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node)
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }
}
