namespace TileServer.Reading.Catalog;

/// <summary>A configured dataset and what opening it gave: a reader, or the reason it is unavailable.</summary>
public sealed record DatasetEntry
{
    public required DatasetDefinition Definition { get; init; }

    public string Id => Definition.Id;

    /// <summary>The open dataset; null when it could not be opened (see <see cref="Error"/>).</summary>
    public DatasetReader? Reader { get; init; }

    /// <summary>Why the dataset could not be opened, written for a user; null when it is open.</summary>
    public string? Error { get; init; }

    /// <summary>When the dataset was last opened or checked.</summary>
    public DateTimeOffset CheckedAt { get; init; }

    /// <summary>The reader, or a 503 naming why there is none.</summary>
    public DatasetReader RequireReader() => Reader ?? throw new DatasetUnavailableException(Id, Error ?? "it has not been opened");
}
