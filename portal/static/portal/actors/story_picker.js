/* The story form's map: touch the map to place the story; the two coordinate fields
 * below are filled in. Without JavaScript, or without Leaflet, the map stays hidden and
 * the resident names the place in words (or types the coordinates).
 */
(function () {
    "use strict";

    function format(value) {
        return value.toFixed(6);
    }

    function start(element) {
        if (!window.L) {
            return;
        }
        var latitudeInput = document.getElementById(element.dataset.latitudeInput);
        var longitudeInput = document.getElementById(element.dataset.longitudeInput);
        if (!latitudeInput || !longitudeInput) {
            return;
        }
        element.hidden = false;
        var help = element.parentNode.querySelector(".story-picker-help");
        if (help) {
            help.hidden = false;
        }
        var center = [parseFloat(element.dataset.latitude), parseFloat(element.dataset.longitude)];
        var map = window.L.map(element, { scrollWheelZoom: false }).setView(center, 15);
        if (element.dataset.tileUrl) {
            window.L.tileLayer(element.dataset.tileUrl, {
                maxZoom: 19,
                attribution: element.dataset.tileAttribution || ""
            }).addTo(map);
        }
        var marker = null;
        function place(latlng) {
            if (marker) {
                marker.setLatLng(latlng);
            } else {
                marker = window.L.marker(latlng, { title: element.dataset.markerLabel, alt: element.dataset.markerLabel }).addTo(map);
            }
            // The form's fields are localised: a decimal comma, as a French visitor types it.
            latitudeInput.value = format(latlng.lat).replace(".", ",");
            longitudeInput.value = format(latlng.lng).replace(".", ",");
        }
        var typed = [latitudeInput.value, longitudeInput.value].map(function (value) {
            return parseFloat(String(value).replace(",", "."));
        });
        if (!isNaN(typed[0]) && !isNaN(typed[1])) {
            place(window.L.latLng(typed[0], typed[1]));
            map.setView(marker.getLatLng(), 16);
        }
        map.on("click", function (event) {
            place(event.latlng);
        });
    }

    function ready() {
        document.querySelectorAll("[data-story-picker]").forEach(start);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", ready);
    } else {
        ready();
    }
})();
