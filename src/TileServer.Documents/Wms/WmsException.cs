using System.Text;
using System.Xml;

namespace TileServer.Documents.Wms;

/// <summary>
/// A WMS 1.3.0 service exception: an optional code (the standard's, e.g. <c>InvalidCRS</c>, or OWS-style
/// <c>MissingParameterValue</c>/<c>InvalidParameterValue</c> for what the standard leaves uncoded), the parameter at
/// fault and the HTTP status it is answered with.
/// </summary>
public sealed class WmsException : Exception
{
    public WmsException(string? code, string? locator, string message, int status = 400)
        : base(message)
    {
        Code = code;
        Locator = locator;
        Status = status;
    }

    public string? Code { get; }
    public string? Locator { get; }
    public int Status { get; }

    public static WmsException Missing(string parameter) => new("MissingParameterValue", parameter, $"Parameter {parameter} is required.");

    public static WmsException Invalid(string parameter, string message) => new("InvalidParameterValue", parameter, message);

    public static WmsException LayerNotDefined(string parameter, string layer)
        => new("LayerNotDefined", parameter, $"No layer '{layer}'; layer names are {{dataset}}.{{variable}}, see the capabilities.");

    /// <summary>
    /// A failure outside WMS's own checks (a tile parameter, a dataset that cannot be read) as a service exception: a
    /// client's mistake is InvalidParameterValue, and a dataset or variable at fault is located at LAYERS.
    /// </summary>
    public static WmsException Failure(int status, string? parameter, string detail)
    {
        string? locator = parameter switch
        {
            null => null,
            "variable" or "dataset" => "LAYERS",
            var other => other,
        };
        return new WmsException(status < 500 ? "InvalidParameterValue" : null, locator, detail, status);
    }
}

/// <summary>Writes the WMS 1.3.0 <c>ServiceExceptionReport</c> (<c>exceptions_1_3_0.xsd</c>).</summary>
public static class ServiceExceptionReport
{
    public const string OgcNs = "http://www.opengis.net/ogc";

    /// <summary>The media type WMS 1.3.0 gives XML exceptions.</summary>
    public const string MediaType = "text/xml";

    private const string XsiNs = "http://www.w3.org/2001/XMLSchema-instance";

    public static byte[] Write(WmsException exception)
    {
        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            w.WriteStartDocument();
            w.WriteStartElement("ServiceExceptionReport", OgcNs);
            w.WriteAttributeString("version", "1.3.0");
            w.WriteAttributeString("xmlns", "xsi", null, XsiNs);
            w.WriteAttributeString("xsi", "schemaLocation", XsiNs, OgcNs + " http://schemas.opengis.net/wms/1.3.0/exceptions_1_3_0.xsd");
            w.WriteStartElement("ServiceException", OgcNs);
            if (exception.Code is { } code)
            {
                w.WriteAttributeString("code", code);
            }

            if (exception.Locator is { } locator)
            {
                w.WriteAttributeString("locator", locator);
            }

            w.WriteString(exception.Message);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }

        return stream.ToArray();
    }
}
