using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using TileServer.Reading.Point;

namespace TileServer.Documents;

/// <summary>
/// Values at a point as a client reads them: the <c>/point</c> JSON (API.md "Point response"), which WMS and WMTS
/// GetFeatureInfo answer too, and the HTML and plain-text forms GIS identify tools show.
/// </summary>
public static class PointDocuments
{
    public const string Json = "application/json";
    public const string Html = "text/html";
    public const string Text = "text/plain";

    /// <summary>The info formats GetFeatureInfo offers, JSON first.</summary>
    public static readonly IReadOnlyList<string> InfoFormats = [Json, Html, Text];

    /// <summary>The canonical media type of an info format a client named (parameters such as charset ignored); null when not offered.</summary>
    public static string? ParseInfoFormat(string text)
    {
        string mime = text.Split(';')[0].Trim();
        return InfoFormats.FirstOrDefault(f => f.Equals(mime, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary><c>{lon, lat, values: [{variable, dims: {dim: value}, value}]}</c>.</summary>
    public static ReadOnlyMemory<byte> ToJson(PointValues values)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("lon", values.Lon);
            json.WriteNumber("lat", values.Lat);
            json.WriteStartArray("values");
            foreach (var entry in values.Entries)
            {
                json.WriteStartObject();
                json.WriteString("variable", entry.Variable);
                json.WriteStartObject("dims");
                foreach (var dim in entry.Dimensions)
                {
                    if (dim.Text is { } text)
                    {
                        json.WriteString(dim.Name, text);
                    }
                    else
                    {
                        json.WriteNumber(dim.Name, dim.Number ?? 0);
                    }
                }

                json.WriteEndObject();
                if (entry.Value is { } v)
                {
                    json.WriteNumber("value", v);
                }
                else
                {
                    json.WriteNull("value");
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    /// <summary>A small HTML page: the layer, the location and a table of variable, dimension values and value.</summary>
    public static string ToHtml(string layer, PointValues values)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(layer)).Append("</title></head><body>\n");
        html.Append("<h4>").Append(WebUtility.HtmlEncode(layer)).Append("</h4>\n");
        html.Append("<p>lon ").Append(Num(values.Lon)).Append(", lat ").Append(Num(values.Lat)).Append("</p>\n");
        html.Append("<table border=\"1\">\n<tr><th>variable</th><th>dimensions</th><th>value</th></tr>\n");
        foreach (var entry in values.Entries)
        {
            html.Append("<tr><td>").Append(WebUtility.HtmlEncode(entry.Variable)).Append("</td><td>")
                .Append(WebUtility.HtmlEncode(Dimensions(entry))).Append("</td><td>")
                .Append(entry.Value is { } v ? Num(v) : "nodata").Append("</td></tr>\n");
        }

        html.Append("</table>\n</body></html>\n");
        return html.ToString();
    }

    /// <summary>One line per value: <c>variable[dim=value, ...] = value</c>, after a header naming the layer and location.</summary>
    public static string ToText(string layer, PointValues values)
    {
        var text = new StringBuilder();
        text.Append("Layer '").Append(layer).Append("' at lon ").Append(Num(values.Lon)).Append(", lat ").Append(Num(values.Lat)).Append('\n');
        foreach (var entry in values.Entries)
        {
            string dims = Dimensions(entry);
            text.Append(entry.Variable).Append(dims.Length > 0 ? "[" + dims + "]" : "").Append(" = ")
                .Append(entry.Value is { } v ? Num(v) : "nodata").Append('\n');
        }

        return text.ToString();
    }

    private static string Dimensions(PointEntry entry)
        => string.Join(", ", entry.Dimensions.Select(d => d.Name + "=" + (d.Text ?? Num(d.Number ?? 0))));

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
