namespace TileServer.Reading.Selection;

/// <summary>One output band: a variable of the dataset and the indices of its non-spatial dimensions (in order).</summary>
public sealed record BandSource(string Variable, IReadOnlyList<long> OtherIndices);
