using TileServer.Crs.Projections;

namespace TileServer.Crs;

/// <summary>
/// source CRS units → (inverse projection) → lon/lat degrees on the source datum → (optional Helmert shift) →
/// lon/lat on the target datum → (forward projection) → target units. Steps that do nothing are left out, so
/// geographic↔geographic on WGS84-equivalent datums is the identity and 4326→3857 is a single formula pass.
/// </summary>
internal sealed class PipelineTransform : ICoordinateTransform
{
    private readonly IProjection? _sourceInverse;
    private readonly HelmertShift? _datum;
    private readonly IProjection? _targetForward;

    public PipelineTransform(IProjection? sourceInverse, HelmertShift? datum, IProjection? targetForward)
    {
        _sourceInverse = sourceInverse;
        _datum = datum;
        _targetForward = targetForward;
    }

    public bool IsIdentity => _sourceInverse is null && _datum is null && _targetForward is null;

    public void Transform(Span<double> x, Span<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"x has {x.Length} values but y has {y.Length}.", nameof(y));
        }

        _sourceInverse?.Inverse(x, y);
        _datum?.Apply(x, y);
        _targetForward?.Forward(x, y);
    }
}
