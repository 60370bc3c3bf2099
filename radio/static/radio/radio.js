/* Radio & TV, a small enhancement: the page works without it.
 * 1. Embeds: the provider's player is loaded only when the visitor clicks "Lire ici".
 * 2. Live audio: once playing, the player docks at the bottom of the window and links of
 *    the portal are followed without a full reload, so the sound goes on.
 */
(function () {
    "use strict";

    function enhanceEmbeds(root) {
        root.querySelectorAll("[data-radio-embed]").forEach(function (figure) {
            var button = figure.querySelector("[data-radio-embed-load]");
            var template = figure.querySelector("template");
            if (!button || !template) { return; }
            button.hidden = false;
            button.addEventListener("click", function () {
                var frame = figure.querySelector(".radio-embed__frame");
                var player = template.content.cloneNode(true);
                frame.replaceChildren(player);
                var iframe = frame.querySelector("iframe");
                if (iframe) { iframe.setAttribute("tabindex", "0"); iframe.focus(); }
            });
        });
    }

    var dock = null;

    function sameStream(root) {
        var playing = dock && dock.querySelector("audio");
        if (!playing) { return; }
        root.querySelectorAll("[data-radio-live] audio").forEach(function (audio) {
            if (audio.src === playing.src) { audio.closest("[data-radio-live]").remove(); }
        });
    }

    function dockPlayer(section) {
        if (dock || document.body.classList.contains("radio-popout")) { return; }
        dock = document.createElement("div");
        dock.className = "radio-dock";
        dock.setAttribute("role", "region");
        dock.setAttribute("aria-label", document.documentElement.lang === "fr" ? "Lecteur radio" : "Radio player");
        document.body.appendChild(dock);
        document.body.classList.add("has-radio-dock");
        // Moving a playing <audio> keeps it playing: it stays in the document.
        dock.appendChild(section);
    }

    function watchLivePlayers(root) {
        root.querySelectorAll("[data-radio-live] audio").forEach(function (audio) {
            audio.addEventListener("play", function () { dockPlayer(audio.closest("[data-radio-live]")); });
        });
    }

    function followable(link, event) {
        if (!dock || event.defaultPrevented || event.button !== 0) { return false; }
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return false; }
        if (link.target || link.hasAttribute("download") || link.origin !== location.origin) { return false; }
        var path = link.pathname;
        return !/^\/(admin|documents|media|static)\//.test(path) && !/(\/podcast\/|\.(xml|ics|mp3|m4a|ogg|mp4|webm|pdf))$/.test(path);
    }

    function show(url, push) {
        return fetch(url, { headers: { "X-Requested-With": "radio-dock" } }).then(function (response) {
            var type = response.headers.get("Content-Type") || "";
            if (!response.ok || type.indexOf("text/html") !== 0) { throw new Error("not a page"); }
            return response.text();
        }).then(function (html) {
            var next = new DOMParser().parseFromString(html, "text/html");
            var main = next.querySelector("main");
            if (!main) { throw new Error("no main"); }
            next.querySelectorAll("head link[rel=stylesheet]").forEach(function (sheet) {
                if (!document.querySelector('link[href="' + sheet.getAttribute("href") + '"]')) {
                    document.head.appendChild(sheet.cloneNode());
                }
            });
            sameStream(main);
            document.querySelector("main").replaceWith(main);
            var nav = next.querySelector(".site-header");
            if (nav) { document.querySelector(".site-header").replaceWith(nav); }
            document.title = next.title;
            if (push) { history.pushState({ radio: true }, "", url); }
            enhanceEmbeds(main);
            watchLivePlayers(main);
            main.focus();
            window.scrollTo(0, 0);
        }).catch(function () { location.href = url; });
    }

    document.addEventListener("click", function (event) {
        var link = event.target.closest && event.target.closest("a[href]");
        if (!link || !followable(link, event)) { return; }
        event.preventDefault();
        show(link.href, true);
    });
    window.addEventListener("popstate", function () { if (dock) { show(location.href, false); } });

    enhanceEmbeds(document);
    watchLivePlayers(document);
}());
