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
    /// <summary>How the plain records of a report (dataset, levels, time, problems) are written: their properties in snake case.</summary>
    private static readonly JsonSerializerOptions Records = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

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
        JsonSerializer.Serialize(writer, report.Dataset, Records);
        writer.WritePropertyName("problems");
        JsonSerializer.Serialize(writer, report.Problems, Records);
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
