# GeoZarr tile server: multi-stage build, runs as a non-root user, serves the built-in demo data when no
# dataset is configured. Configure datasets with environment variables, e.g.
#   -e TileServer__Datasets__era5__Path=s3://bucket/era5.zarr -e TileServer__S3__Region=eu-west-1
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# Node.js/npm fetch MapLibre GL JS for the viewer at build time (the running server needs no internet).
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props TileServer.sln appsettings.json ./
COPY src/ src/
COPY data/demo/ data/demo/
RUN dotnet publish src/TileServer.Api/TileServer.Api.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_gcServer=1 \
    DOTNET_GCHeapHardLimitPercent=75
EXPOSE 8080
USER $APP_UID
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["dotnet", "TileServer.Api.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "TileServer.Api.dll"]
