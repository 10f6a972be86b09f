/*
 * DeltaCrown front end: Alpine.js components for the CSP build.
 *
 * The CSP build cannot evaluate expressions, so templates name only properties
 * and methods registered here (x-on:click="toggle", x-text="buttonLabel").
 * Every page works without this file: forms post and links navigate normally.
 * Load order: this file, then vendor/alpinejs/cdn.min.js (both deferred).
 */
(function () {
    "use strict";

    document.documentElement.classList.remove("no-js");
    document.documentElement.classList.add("js");

    function csrfToken(root) {
        var input = root.querySelector("input[name=csrfmiddlewaretoken]");
        return input ? input.value : "";
    }

    /* POST a JSON body and read the JSON envelope; never throws. */
    function postJSON(url, token, body) {
        if (typeof navigator !== "undefined" && navigator.onLine === false) {
            return Promise.resolve({ kind: "offline" });
        }
        var options = {
            method: "POST",
            credentials: "same-origin",
            headers: { Accept: "application/json", "X-CSRFToken": token },
        };
        if (body !== undefined) {
            options.headers["Content-Type"] = "application/json";
            options.body = JSON.stringify(body);
        }
        return fetch(url, options).then(
            function (response) {
                return response
                    .json()
                    .catch(function () {
                        return null;
                    })
                    .then(function (data) {
                        var kind = "ok";
                        if (response.status >= 500) {
                            kind = "server";
                        } else if (response.status >= 400) {
                            kind = "refused";
                        } else if (!data || data.success !== true) {
                            kind = "server";
                        }
                        return { kind: kind, status: response.status, data: data };
                    });
            },
            function () {
                return { kind: "offline" };
            }
        );
    }

    /* Why a follow-style action failed, in words a player can act on. */
    function actionFailure(result) {
        if (result.kind === "offline") return "You are offline. Try again when you're connected.";
        if (result.kind === "server") return "The server failed, try again.";
        return errorText(result) || "That didn't work. Reload and try again.";
    }

    function errorText(result) {
        return result.data && typeof result.data.error === "string" ? result.data.error : "";
    }

    /* Paint each game passport in its game's colour. Setting a custom property
       through CSSOM is allowed by the CSP; a style="" attribute would not be. */
    function paintAccents() {
        var nodes = document.querySelectorAll("[data-accent]");
        for (var i = 0; i < nodes.length; i++) {
            var colour = nodes[i].getAttribute("data-accent") || "";
            if (/^#[0-9a-fA-F]{6}$/.test(colour)) {
                nodes[i].style.setProperty("--game", colour);
            }
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", paintAccents);
    } else {
        paintAccents();
    }

    document.addEventListener("alpine:init", function () {
        var Alpine = window.Alpine;

        /* Follow / unfollow without a reload; the form posts normally without JS. */
        Alpine.data("followButton", function () {
            return {
                status: "none",
                count: null,
                approve: false,
                loading: false,
                message: "",
                followUrl: "",
                unfollowUrl: "",

                init: function () {
                    var data = this.$el.dataset;
                    this.status = data.status || "none";
                    this.approve = data.approve === "1";
                    this.count = data.followerCount === "" ? null : Number(data.followerCount);
                    this.followUrl = data.followUrl;
                    this.unfollowUrl = data.unfollowUrl;
                },

                formAction: function () {
                    return this.status === "none" ? this.followUrl : this.unfollowUrl;
                },

                buttonLabel: function () {
                    if (this.loading) return "Saving…";
                    if (this.status === "accepted") return "Unfollow";
                    if (this.status === "pending") return "Cancel request";
                    return this.approve ? "Request to follow" : "Follow";
                },

                buttonClass: function () {
                    var following = this.status !== "none";
                    return { "button--primary": !following, "button--ghost": following };
                },

                stateText: function () {
                    if (this.status === "accepted") return "You follow this player.";
                    if (this.status === "pending") return "Follow request sent.";
                    return "";
                },

                busyAttr: function () {
                    return this.loading ? "true" : false;
                },

                followerCount: function () {
                    return this.count === null ? "" : this.count.toLocaleString("en");
                },

                followerLabel: function () {
                    return this.count === 1 ? "Follower" : "Followers";
                },

                submit: function () {
                    if (this.loading) return;
                    var self = this;
                    var form = this.$refs.form;
                    this.loading = true;
                    this.message = "";
                    postJSON(this.formAction(), csrfToken(form)).then(function (result) {
                        self.loading = false;
                        if (result.kind === "ok") {
                            var data = result.data.data || {};
                            self.status = data.status || "none";
                            if (typeof data.follower_count === "number") {
                                self.count = data.follower_count;
                            }
                        } else {
                            self.message = actionFailure(result);
                        }
                    });
                },
            };
        });

        /* Accept or decline one follow request without a reload; plain forms without JS. */
        Alpine.data("followRequest", function () {
            return {
                loading: false,
                done: false,
                failed: false,
                message: "",

                statusClass: function () {
                    return { "is-saved": this.done, "is-error": this.failed };
                },

                submit: function (event) {
                    if (this.loading) return;
                    var self = this;
                    var form = event.target;
                    this.loading = true;
                    this.failed = false;
                    this.message = "";
                    postJSON(form.getAttribute("action"), csrfToken(form)).then(function (result) {
                        self.loading = false;
                        if (result.kind === "ok") {
                            self.done = true;
                            self.message = form.getAttribute("data-done") || "Done.";
                            return;
                        }
                        self.failed = true;
                        self.message = actionFailure(result);
                    });
                },
            };
        });

        /* The owner's wallet balance, blurred until asked for. */
        Alpine.data("balanceToggle", function () {
            return {
                revealed: false,
                buttonHidden: false,

                toggle: function () {
                    this.revealed = !this.revealed;
                },

                amountClass: function () {
                    return { blur: !this.revealed };
                },

                amountAriaHidden: function () {
                    return this.revealed ? false : "true";
                },

                buttonLabel: function () {
                    return this.revealed ? "Hide balance" : "Show balance";
                },
            };
        });

        /* Settings: switch panels without a reload; each nav link is a real URL. */
        Alpine.data("settingsTabs", function () {
            return {
                active: "",
                keys: [],

                init: function () {
                    var self = this;
                    var panels = this.$el.querySelectorAll("section[data-panel]");
                    for (var i = 0; i < panels.length; i++) {
                        this.keys.push(panels[i].dataset.panel);
                    }
                    this.active = this.fromLocation() || this.$el.dataset.active;
                    window.addEventListener("popstate", function () {
                        self.active = self.fromLocation() || self.$el.dataset.active;
                    });
                    window.addEventListener("hashchange", function () {
                        var key = self.fromLocation();
                        if (key) self.active = key;
                    });
                },

                fromLocation: function () {
                    var hash = window.location.hash.replace(/^#/, "");
                    if (hash && this.keys.indexOf(hash) !== -1) return hash;
                    var links = this.$el.querySelectorAll("a[data-panel]");
                    for (var i = 0; i < links.length; i++) {
                        if (links[i].pathname === window.location.pathname) {
                            return links[i].dataset.panel;
                        }
                    }
                    return "";
                },

                select: function (event) {
                    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button > 0) {
                        return; // let "open in new tab" work
                    }
                    event.preventDefault();
                    var link = event.currentTarget;
                    var key = link.dataset.panel;
                    if (key === this.active) return;
                    this.active = key;
                    history.pushState({ panel: key }, "", link.pathname + "#" + key);
                    this.$nextTick(function () {
                        var heading = document.getElementById(key + "-title");
                        if (heading) heading.focus();
                    });
                },

                panelHidden: function () {
                    return this.$el.dataset.panel !== this.active;
                },

                currentAttr: function () {
                    return this.$el.dataset.panel === this.active ? "page" : false;
                },
            };
        });

        /* Basic, social, games, platform and wallet: save the whole form on submit.
           The form is posted as multipart FormData, which the server takes as the
           whole section, exactly like the plain POST it replaces. */
        Alpine.data("settingsForm", function () {
            return {
                busy: false,
                state: "idle",
                statusText: "",

                form: function () {
                    return this.$el.querySelector("form");
                },

                statusClass: function () {
                    return {
                        "is-saving": this.state === "saving",
                        "is-saved": this.state === "saved",
                        "is-error": this.state === "error",
                    };
                },

                busyAttr: function () {
                    return this.busy ? "true" : false;
                },

                submit: function (event) {
                    var form = this.form();
                    if (!form || event.target !== form) return;
                    event.preventDefault();
                    if (this.busy) return;
                    var self = this;
                    this.clearErrors();
                    if (typeof navigator !== "undefined" && navigator.onLine === false) {
                        this.fail("You are offline — nothing was saved.");
                        return;
                    }
                    this.busy = true;
                    this.state = "saving";
                    this.statusText = "Saving…";
                    // getAttribute, not form.action: a field may be named like a form property.
                    fetch(form.getAttribute("action"), {
                        method: "POST",
                        credentials: "same-origin",
                        headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
                        body: new FormData(form),
                    })
                        .then(
                            function (response) {
                                return response
                                    .json()
                                    .catch(function () {
                                        return null;
                                    })
                                    .then(function (data) {
                                        self.answer(response.status, data);
                                    });
                            },
                            function () {
                                self.fail(
                                    navigator.onLine === false
                                        ? "You are offline — nothing was saved."
                                        : "Couldn't reach the server — nothing was saved. Check your connection and try again."
                                );
                            }
                        )
                        .then(function () {
                            self.busy = false;
                        });
                },

                answer: function (status, body) {
                    var sentence = body && typeof body.error === "string" ? body.error : "";
                    if (status >= 200 && status < 300 && body && body.success === true) {
                        this.state = "saved";
                        this.statusText = "Saved";
                        this.fill(body.data || {});
                        return;
                    }
                    if (status >= 500 || status < 400) {
                        this.fail("The server failed, try again.");
                    } else if (status === 400 && body && body.errors) {
                        this.showErrors(body.errors);
                        this.fail(sentence || "Some fields need attention; see the messages beside each.");
                    } else {
                        // 401, 403, 413, 415, 429: the server's sentence says why.
                        this.fail(sentence || "That didn't work. Reload the page and try again.");
                    }
                },

                fail: function (text) {
                    this.state = "error";
                    this.statusText = text;
                },

                errorLists: function () {
                    var lists = {};
                    var nodes = this.$el.querySelectorAll("[data-field-errors]");
                    for (var i = 0; i < nodes.length; i++) {
                        lists[nodes[i].getAttribute("data-field-errors")] = nodes[i];
                    }
                    return lists;
                },

                controlsNamed: function (name) {
                    var found = [];
                    var elements = this.form().elements;
                    for (var i = 0; i < elements.length; i++) {
                        if (elements[i].name === name) found.push(elements[i]);
                    }
                    return found;
                },

                setInvalid: function (list, invalid) {
                    var name = list.getAttribute("data-field-errors");
                    var wrapper = list.closest(".field, .avatar-edit");
                    if (wrapper) wrapper.classList.toggle("field--invalid", invalid);
                    var controls = this.controlsNamed(name);
                    for (var i = 0; i < controls.length; i++) {
                        var control = controls[i];
                        if (control.type === "checkbox" || control.type === "radio") continue;
                        var ids = (control.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (id) {
                            return id && id !== list.id;
                        });
                        if (invalid) {
                            control.setAttribute("aria-invalid", "true");
                            if (list.id) ids.push(list.id);
                        } else {
                            control.removeAttribute("aria-invalid");
                        }
                        if (ids.length) {
                            control.setAttribute("aria-describedby", ids.join(" "));
                        } else {
                            control.removeAttribute("aria-describedby");
                        }
                    }
                },

                clearErrors: function () {
                    var lists = this.errorLists();
                    for (var name in lists) {
                        lists[name].textContent = "";
                        lists[name].hidden = true;
                        this.setInvalid(lists[name], false);
                    }
                    var box = this.$el.querySelector("[data-form-errors]");
                    if (box) {
                        box.querySelector("ul").textContent = "";
                        box.hidden = true;
                    }
                },

                addItems: function (list, messages) {
                    for (var i = 0; i < messages.length; i++) {
                        var item = document.createElement("li");
                        item.textContent = String(messages[i]);
                        list.appendChild(item);
                    }
                },

                showErrors: function (errors) {
                    var lists = this.errorLists();
                    var box = this.$el.querySelector("[data-form-errors]");
                    var first = null;
                    for (var name in errors) {
                        var messages = Array.isArray(errors[name]) ? errors[name] : [errors[name]];
                        var list = lists[name];
                        if (list) {
                            this.addItems(list, messages);
                            list.hidden = false;
                            this.setInvalid(list, true);
                            if (!first) first = this.controlsNamed(name)[0] || null;
                        } else if (box) {
                            // Errors for the whole form ("__all__") or a name with no field here.
                            this.addItems(box.querySelector("ul"), messages);
                            box.hidden = false;
                        }
                    }
                    if (first && typeof first.focus === "function") first.focus();
                },

                /* Show what the server stored: its answer has the section's values. */
                fill: function (data) {
                    var values = {};
                    var key;
                    for (key in data) {
                        var value = data[key];
                        if (value === null && this.$el.querySelector('[data-passport="' + key + '"]')) {
                            // Games: a removed passport empties its four boxes.
                            value = { in_game_name: "", in_game_id: "", rank: "", region: "" };
                        }
                        if (value && typeof value === "object" && !Array.isArray(value)) {
                            for (var part in value) values[key + "." + part] = value[part];
                            this.markPassport(key, data[key] !== null);
                        } else {
                            values[key] = value;
                        }
                    }
                    var elements = this.form().elements;
                    for (var i = 0; i < elements.length; i++) {
                        var control = elements[i];
                        if (!control.name || !(control.name in values)) continue;
                        this.write(control, values[control.name]);
                    }
                    if ("avatar" in data) this.showAvatar(data.avatar, data.display_name);
                },

                write: function (control, value) {
                    if (control.type === "file") {
                        control.value = "";
                    } else if (control.type === "checkbox" || control.type === "radio") {
                        if (Array.isArray(value)) {
                            control.checked = value.map(String).indexOf(control.value) !== -1;
                        } else if (typeof value === "boolean") {
                            control.checked = value;
                        } else {
                            control.checked = String(value) === control.value;
                        }
                    } else if (value === null || value === undefined) {
                        control.value = "";
                    } else if (typeof value !== "object") {
                        control.value = String(value);
                    }
                },

                markPassport: function (slug, linked) {
                    var chip = this.$el.querySelector('[data-passport-state="' + slug + '"]');
                    if (chip) chip.hidden = !linked;
                },

                showAvatar: function (url, name) {
                    var img = this.$el.querySelector("[data-avatar-img]");
                    var initials = this.$el.querySelector("[data-avatar-initials]");
                    var clear = this.$el.querySelector("[data-avatar-clear]");
                    var has = typeof url === "string" && url !== "";
                    if (img) {
                        if (has) {
                            img.setAttribute("src", url);
                        } else {
                            img.removeAttribute("src");
                        }
                        img.hidden = !has;
                    }
                    if (initials) {
                        if (typeof name === "string") {
                            var words = name.split(/\s+/).filter(Boolean).slice(0, 2);
                            initials.textContent =
                                words
                                    .map(function (word) {
                                        return Array.from(word)[0];
                                    })
                                    .join("")
                                    .toUpperCase() || "?";
                        }
                        initials.hidden = has;
                    }
                    if (clear) {
                        clear.hidden = !has;
                        var box = clear.querySelector("input[type=checkbox]");
                        if (box) box.checked = false;
                    }
                },
            };
        });

        /* Privacy and notifications: save each switch or select as it changes. */
        Alpine.data("autosave", function () {
            return {
                autosaving: true,
                state: "idle",
                statusText: "",
                saved: {},
                latest: {},

                init: function () {
                    var controls = this.controls();
                    for (var i = 0; i < controls.length; i++) {
                        this.saved[controls[i].name] = this.read(controls[i]);
                    }
                },

                form: function () {
                    return this.$el.querySelector("form");
                },

                controls: function () {
                    return this.$el.querySelectorAll("input[type=checkbox][name], select[name]");
                },

                read: function (control) {
                    return control.type === "checkbox" ? control.checked : control.value;
                },

                write: function (control, value) {
                    if (control.type === "checkbox") {
                        control.checked = value;
                    } else {
                        control.value = value;
                    }
                },

                label: function (control) {
                    var label = control.id ? this.$el.querySelector('label[for="' + control.id + '"]') : null;
                    var text = control.name;
                    if (label) {
                        var copy = label.cloneNode(true);
                        var decorations = copy.querySelectorAll("[aria-hidden]");
                        for (var i = 0; i < decorations.length; i++) decorations[i].remove();
                        text = copy.textContent.replace(/\s+/g, " ").trim();
                    }
                    var group = control.closest("fieldset.notify-row");
                    var legend = group ? group.querySelector("legend") : null;
                    return legend ? legend.textContent.trim() + " (" + text + ")" : text;
                },

                mark: function (name, text, kind) {
                    var spot = this.$el.querySelector('[data-field-status="' + name + '"]');
                    if (!spot) return;
                    spot.textContent = text;
                    spot.classList.toggle("is-saved", kind === "saved");
                    spot.classList.toggle("is-error", kind === "error");
                },

                statusClass: function () {
                    return {
                        "is-saving": this.state === "saving",
                        "is-saved": this.state === "saved",
                        "is-error": this.state === "error",
                    };
                },

                save: function (event) {
                    var control = event.target;
                    if (!control || !control.name || !(control.name in this.saved)) return;
                    var self = this;
                    var name = control.name;
                    var value = this.read(control);
                    var ticket = (this.latest[name] || 0) + 1;
                    var body = {};
                    body[name] = value;
                    this.latest[name] = ticket;
                    this.state = "saving";
                    this.statusText = "Saving…";
                    this.mark(name, "…", "saving");

                    // getAttribute, not form.action: a field may be named like a form property.
                    var form = this.form();
                    postJSON(form.getAttribute("action"), csrfToken(form), body).then(
                        function (result) {
                            if (self.latest[name] !== ticket) return; // a newer change took over
                            if (result.kind === "ok") {
                                self.saved[name] = value;
                                self.state = "saved";
                                self.statusText = "Saved";
                                self.mark(name, "✓", "saved");
                                return;
                            }
                            self.write(control, self.saved[name]);
                            self.state = "error";
                            self.mark(name, "!", "error");
                            self.statusText = self.label(control) + " was not saved. " + self.reason(result, name);
                        }
                    );
                },

                reason: function (result, name) {
                    if (result.kind === "offline") return "You are offline.";
                    if (result.kind === "server") return "The server failed, try again.";
                    // Not signed in, expired token, too many requests: the server's sentence says why.
                    if (result.status === 401 || result.status === 403 || result.status === 429) {
                        return errorText(result) || "Reload the page and try again.";
                    }
                    var errors = result.data && result.data.errors;
                    var detail = errors && errors[name] && errors[name][0];
                    return "This value is not allowed: " + (detail || errorText(result) || "unknown reason") + "";
                },
            };
        });
    });
})();
