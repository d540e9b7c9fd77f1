using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace TileServer.Api.Endpoints.Standards;

/// <summary>
/// OGC API content negotiation: an explicit <c>f=</c> wins, else the best <c>Accept</c> entry this resource can
/// produce, else the first offer. Nothing acceptable is a 406.
/// </summary>
public static class ContentNegotiation
{
    /// <summary>Picks one of <paramref name="offers"/> (key = <c>f</c> value, media type); the first is the default.</summary>
    public static bool TryChoose(HttpRequest request, IReadOnlyList<(string Key, string MediaType)> offers, out string key, [NotNullWhen(false)] out IResult? notAcceptable,
        IReadOnlyDictionary<string, string>? aliases = null)
    {
        notAcceptable = null;
        if (request.Query["f"].FirstOrDefault() is { Length: > 0 } f)
        {
            string wanted = aliases is not null && aliases.TryGetValue(f.ToLowerInvariant(), out var alias) ? alias : f.ToLowerInvariant();
            key = wanted;
            if (offers.Any(o => o.Key == wanted))
            {
                return true;
            }

            notAcceptable = NotAcceptable(request, $"f={f} is not available here; use one of: {string.Join(", ", offers.Select(o => o.Key))}.", "f");
            return false;
        }

        key = offers[0].Key;
        var accept = request.Headers.Accept;
        if (accept.Count == 0 || !MediaTypeHeaderValue.TryParseList(accept, out var parsed) || parsed.Count == 0)
        {
            return true;
        }

        // Highest quality first; among equals, the more specific range (RFC 9110 §12.5.1).
        foreach (var range in parsed.Where(r => (r.Quality ?? 1) > 0).OrderByDescending(r => r.Quality ?? 1).ThenBy(r => r.MatchesAllTypes ? 2 : r.MatchesAllSubTypes ? 1 : 0))
        {
            foreach (var offer in offers)
            {
                if (new MediaTypeHeaderValue(offer.MediaType).IsSubsetOf(range))
                {
                    key = offer.Key;
                    return true;
                }
            }
        }

        notAcceptable = NotAcceptable(request, $"None of the accepted media types ({accept}) is available here; this resource is offered as {string.Join(", ", offers.Select(o => o.MediaType))}.", "Accept");
        return false;
    }

    /// <summary>
    /// Throws a 406 when the client's Accept refuses <paramref name="mediaType"/> with q=0 (the most specific range that
    /// matches it decides, RFC 9110 §12.5.1). Resources whose format is in the URL (tiles) serve it otherwise.
    /// </summary>
    public static void EnsureNotRefused(HttpRequest request, string mediaType)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0 || !MediaTypeHeaderValue.TryParseList(accept, out var parsed))
        {
            return;
        }

        var offer = new MediaTypeHeaderValue(mediaType);
        var match = parsed.Where(offer.IsSubsetOf).OrderBy(r => r.MatchesAllTypes ? 2 : r.MatchesAllSubTypes ? 1 : 0).FirstOrDefault();
        if (match is { Quality: 0 })
        {
            throw new NotAcceptableException($"The request's Accept ({accept}) refuses {mediaType}, the format this URL names.");
        }
    }

    private static IResult NotAcceptable(HttpRequest request, string detail, string parameter)
        => Results.Json(
            new ProblemDetails { Status = StatusCodes.Status406NotAcceptable, Title = "Not acceptable", Detail = detail, Instance = request.Path, Extensions = { ["parameter"] = parameter } },
            contentType: "application/problem+json", statusCode: StatusCodes.Status406NotAcceptable);
}
