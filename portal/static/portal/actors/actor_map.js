/* The actors' map: progressive enhancement of the directory's list.
 *
 * Reads a GeoJSON FeatureCollection from the <script type="application/json"> element
 * named by the map's data-actor-map attribute, and the tile server from data attributes.
 * Without JavaScript, or if Leaflet did not load, the map stays hidden and the list
 * says everything. No inline script: this file is served as a static asset.
 */
(function () {
    "use strict";

    function readFeatures(element) {
        var source = document.getElementById(element.dataset.actorMap);
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

    function draw(element) {
        var features = readFeatures(element);
        if (!window.L || features.length === 0) {
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
        features.forEach(function (feature) {
            var lonLat = feature.geometry.coordinates;
            var point = [lonLat[1], lonLat[0]];
            points.push(point);
            window.L.marker(point, { title: feature.properties.name, alt: feature.properties.name })
                .bindPopup(popup(feature))
                .addTo(map);
        });
        if (points.length === 1) {
            map.setView(points[0], 16);
        } else {
            map.fitBounds(points, { padding: [24, 24], maxZoom: 17 });
        }
    }

    function start() {
        document.querySelectorAll("[data-actor-map]").forEach(draw);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
