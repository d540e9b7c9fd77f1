namespace TileServer;

/// <summary>
/// What a failure means to whoever asked, independent of the layer that found it. The Api maps each kind to one
/// HTTP status in one place; nothing else decides statuses.
/// </summary>
public enum FailureKind
{
    /// <summary>The request is malformed or asks for something impossible (HTTP 400).</summary>
    BadRequest,

    /// <summary>The thing asked for does not exist: a dataset, variable, TileMatrixSet, tile address (HTTP 404).</summary>
    NotFound,

    /// <summary>The request would need more than the server allows for one request: pixels, bytes, entries (HTTP 400/413).</summary>
    TooLarge,

    /// <summary>Stored data cannot be understood: corrupt chunk, inconsistent or unsupported metadata (HTTP 502 for data read on behalf of a request).</summary>
    InvalidData,

    /// <summary>A store could not deliver bytes: network, permissions, server errors, timeouts (HTTP 502/504).</summary>
    StoreUnavailable,

    /// <summary>A dataset is configured but cannot be served right now; the message says why (HTTP 503).</summary>
    DatasetUnavailable,

    /// <summary>The server is at capacity; the client should retry later (HTTP 503 with Retry-After).</summary>
    Overloaded,

    /// <summary>None of the representations the client accepts can be produced (HTTP 406).</summary>
    NotAcceptable,

    /// <summary>A part of the server is not installed or configured (HTTP 503).</summary>
    FeatureUnavailable,
}
