using System.Text.Json.Nodes;

namespace TileServer.GeoZarr.Crs;

/// <summary>Resolves CRSs from codes, URIs, WKT, PROJJSON and CF grid mappings, and builds transforms between them.</summary>
public sealed class CrsRegistry
{
    /// <summary>"EPSG:4326", "epsg:3857", "OGC:CRS84", "EPSG:32633" …</summary>
    public CrsInfo FromCode(string code) => throw new NotImplementedException();

    /// <summary>OGC URI (<c>http://www.opengis.net/def/crs/EPSG/0/3857</c>) or URN (<c>urn:ogc:def:crs:EPSG::3857</c>).</summary>
    public CrsInfo FromUri(string uri) => throw new NotImplementedException();

    /// <summary>WKT1 or WKT2.</summary>
    public CrsInfo FromWkt(string wkt) => throw new NotImplementedException();

    public CrsInfo FromProjJson(JsonNode projJson) => throw new NotImplementedException();

    /// <summary>CF grid-mapping variable attributes (<c>crs_wkt</c>, <c>spatial_ref</c>, <c>epsg_code</c>, or the CF parameters); null if none is usable.</summary>
    public CrsInfo? FromCfGridMapping(JsonObject attributes) => throw new NotImplementedException();

    public ICoordinateTransform CreateTransform(CrsInfo from, CrsInfo to) => throw new NotImplementedException();
}
