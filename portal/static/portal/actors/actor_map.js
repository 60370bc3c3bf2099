/* The actors' map: progressive enhancement of the directory's list.
 *
 * Reads a GeoJSON FeatureCollection from the <script type="application/json"> element
 * named by the map's data-actor-map attribute, and the tile server from data attributes.
 * Without JavaScript, or if Leaflet did not load, the map stays hidden and the list
 * says everything. No inline script: this file is served as a static asset.
 */
(function () {
    "use strict";

    function readFeatures(element, sourceId) {
        var source = sourceId ? document.getElementById(sourceId) : null;
        if (!source) {
            return [];
        }
        try {
            var data = JSON.parse(source.textContent);
            return (data.features || []).filter(function (feature) {
                return feature.geometry && feature.geometry.type === "Point";
            });
        } catch (error) {
            return [];
        }
    }

    function popup(feature) {
        // Built with DOM nodes and textContent: names typed by residents are never HTML.
        var box = document.createElement("div");
        var title = document.createElement(feature.properties.url ? "a" : "strong");
        title.textContent = feature.properties.name;
        if (feature.properties.url) {
            title.href = feature.properties.url;
        }
        box.appendChild(title);
        var kind = document.createElement("div");
        kind.textContent = feature.properties.kind_label || "";
        box.appendChild(kind);
        if (feature.properties.address) {
            var address = document.createElement("div");
            address.textContent = feature.properties.address;
            box.appendChild(address);
        }
        return box;
    }

    // Residents' stories: a coloured circle per kind, apart from the actors' pins.
    var STORY_COLOURS = { place: "#1b6e3a", memory: "#6a3d9a", problem: "#b3261e", wish: "#0b5cad" };

    function draw(element) {
        var features = readFeatures(element, element.dataset.actorMap);
        var stories = readFeatures(element, element.dataset.storyMap);
        if (!window.L || features.length + stories.length === 0) {
            return;
        }
        element.hidden = false;
        var map = window.L.map(element, { scrollWheelZoom: false });
        var tiles = element.dataset.tileUrl;
        if (tiles) {
            window.L.tileLayer(tiles, {
                maxZoom: 19,
                attribution: element.dataset.tileAttribution || ""
            }).addTo(map);
        }
        var points = [];
        var actorLayer = window.L.layerGroup();
        features.forEach(function (feature) {
            var lonLat = feature.geometry.coordinates;
            var point = [lonLat[1], lonLat[0]];
            points.push(point);
            window.L.marker(point, { title: feature.properties.name, alt: feature.properties.name })
                .bindPopup(popup(feature))
                .addTo(actorLayer);
        });
        var storyLayer = window.L.layerGroup();
        stories.forEach(function (feature) {
            var lonLat = feature.geometry.coordinates;
            var point = [lonLat[1], lonLat[0]];
            points.push(point);
            var colour = STORY_COLOURS[feature.properties.kind] || "#333";
            window.L.circleMarker(point, { radius: 9, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 0.95 })
                .bindPopup(popup(feature))
                .addTo(storyLayer);
        });
        actorLayer.addTo(map);
        storyLayer.addTo(map);
        if (features.length && stories.length) {
            // Each layer can be hidden: the actors' pins and the residents' stories.
            var overlays = {};
            overlays[element.dataset.actorsLabel || "Acteurs"] = actorLayer;
            overlays[element.dataset.storiesLabel || "Récits"] = storyLayer;
            window.L.control.layers(null, overlays, { collapsed: false }).addTo(map);
        }
        if (points.length === 1) {
            map.setView(points[0], 16);
        } else {
            map.fitBounds(points, { padding: [24, 24], maxZoom: 17 });
        }
    }

    function start() {
        document.querySelectorAll("[data-actor-map], [data-story-map]").forEach(draw);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
