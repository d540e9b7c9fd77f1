// What the endpoints work with throughout: the HTTP helpers, and the lower layers' requests, documents, readers,
// catalog, rendering and tile delivery.
global using TileServer.Api.Http;
global using TileServer.Delivery.Tiles;
global using TileServer.Documents;
global using TileServer.Documents.Requests;
global using TileServer.Reading;
global using TileServer.Reading.Catalog;
global using TileServer.Rendering;
