using System.Net;
using System.Text.Json.Nodes;

namespace TileServer.Api.Tests.Infrastructure;

public static class HttpAssert
{
    /// <summary>Asserts an RFC 9457 problem+json response with the status, and returns its body.</summary>
    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonNode.Parse(body)!.AsObject();
        Assert.Equal((int)status, (int)json["status"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)json["title"]));
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        return json;
    }

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }
}
