namespace TileServer.Api.Errors;

/// <summary>A request that cannot be answered as asked; becomes an RFC 9457 problem+json response.</summary>
public class ApiProblemException : Exception
{
    public ApiProblemException(int status, string title, string detail, string? parameter = null)
        : base(detail)
    {
        Status = status;
        Title = title;
        Parameter = parameter;
    }

    public int Status { get; }
    public string Title { get; }

    /// <summary>The request parameter at fault, if one is.</summary>
    public string? Parameter { get; }

    public static ApiProblemException BadParameter(string parameter, string detail)
        => new(StatusCodes.Status400BadRequest, "Invalid parameter", detail, parameter);

    public static ApiProblemException NotFound(string title, string detail, string? parameter = null)
        => new(StatusCodes.Status404NotFound, title, detail, parameter);

    public static ApiProblemException UnknownDataset(string id)
        => NotFound("Unknown dataset", $"No dataset with id '{id}' is configured.", "dataset");
}
