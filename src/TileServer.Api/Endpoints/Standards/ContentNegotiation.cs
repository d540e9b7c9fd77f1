using Microsoft.Net.Http.Headers;
using TileServer.Api.Errors;

namespace TileServer.Api.Endpoints.Standards;

/// <summary>
/// OGC API content negotiation: an explicit <c>f=</c> wins, else the best <c>Accept</c> entry this resource can
/// produce, else the first offer. Nothing acceptable is a 406.
/// </summary>
public static class ContentNegotiation
{
    /// <summary>Picks one of <paramref name="offers"/> (key = <c>f</c> value, media type); the first is the default.</summary>
    public static string Choose(HttpRequest request, IReadOnlyList<(string Key, string MediaType)> offers, IReadOnlyDictionary<string, string>? aliases = null)
    {
        if (request.Query["f"].FirstOrDefault() is { Length: > 0 } f)
        {
            string key = aliases is not null && aliases.TryGetValue(f.ToLowerInvariant(), out var alias) ? alias : f.ToLowerInvariant();
            return offers.Any(o => o.Key == key)
                ? key
                : throw new ApiProblemException(StatusCodes.Status406NotAcceptable, "Not acceptable", $"f={f} is not available here; use one of: {string.Join(", ", offers.Select(o => o.Key))}.", "f");
        }

        var accept = request.Headers.Accept;
        if (accept.Count == 0 || !MediaTypeHeaderValue.TryParseList(accept, out var parsed) || parsed.Count == 0)
        {
            return offers[0].Key;
        }

        // Highest quality first; among equals, the more specific range (RFC 9110 §12.5.1).
        foreach (var range in parsed.Where(r => (r.Quality ?? 1) > 0).OrderByDescending(r => r.Quality ?? 1).ThenBy(r => r.MatchesAllTypes ? 2 : r.MatchesAllSubTypes ? 1 : 0))
        {
            foreach (var offer in offers)
            {
                if (new MediaTypeHeaderValue(offer.MediaType).IsSubsetOf(range))
                {
                    return offer.Key;
                }
            }
        }

        throw new ApiProblemException(StatusCodes.Status406NotAcceptable, "Not acceptable", $"None of the accepted media types ({accept}) is available here; this resource is offered as {string.Join(", ", offers.Select(o => o.MediaType))}.", "Accept");
    }
}
