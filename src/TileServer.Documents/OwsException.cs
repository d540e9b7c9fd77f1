using System.Text;
using System.Xml;

namespace TileServer.Documents;

/// <summary>An OWS 1.1 exception (WMTS answers errors as an <c>ExceptionReport</c>, not problem+json).</summary>
public sealed class OwsException : Exception
{
    public OwsException(int status, string code, string? locator, string message)
        : base(message)
    {
        Status = status;
        Code = code;
        Locator = locator;
    }

    public int Status { get; }
    public string Code { get; }
    public string? Locator { get; }

    public static OwsException Missing(string parameter) => new(400, "MissingParameterValue", parameter, $"Parameter {parameter} is required.");

    public static OwsException Invalid(string parameter, string message) => new(400, "InvalidParameterValue", parameter, message);

    public static OwsException OutOfRange(string parameter, string message) => new(404, "TileOutOfRange", parameter, message);

    public byte[] ToXml()
    {
        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            w.WriteStartDocument();
            w.WriteStartElement("ows", "ExceptionReport", WmtsCapabilitiesWriter.OwsNs);
            w.WriteAttributeString("version", "1.0.0");
            w.WriteAttributeString("xml", "lang", null, "en");
            w.WriteStartElement("ows", "Exception", WmtsCapabilitiesWriter.OwsNs);
            w.WriteAttributeString("exceptionCode", Code);
            if (Locator is not null)
            {
                w.WriteAttributeString("locator", Locator);
            }

            w.WriteElementString("ows", "ExceptionText", WmtsCapabilitiesWriter.OwsNs, Message);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }

        return stream.ToArray();
    }
}
