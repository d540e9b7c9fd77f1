namespace TileServer.Reading.Point;

/// <summary>Values at a point: one entry per variable and combination of its other dimensions' values.</summary>
public sealed record PointValues(double Lon, double Lat, IReadOnlyList<PointEntry> Entries);

/// <summary>The decoded value of one variable at one position of its other dimensions; null for nodata or outside the data.</summary>
public sealed record PointEntry(string Variable, IReadOnlyList<DimensionValue> Dimensions, double? Value);

/// <summary>
/// A dimension's value as a client shows it: time as ISO 8601 <see cref="Text"/>; other coordinates, a band's 1-based
/// number or a coordinate-less dimension's 0-based index as <see cref="Number"/>.
/// </summary>
public sealed record DimensionValue(string Name, string? Text, double? Number);
