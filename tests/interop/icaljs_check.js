// Reads an iCalendar file with ical.js (the parser of Thunderbird and of many web calendars)
// and prints its events as JSON, for tests/interop/test_calendar_ics.py.
//
//   node tests/interop/icaljs_check.js FILE.ics
//
// ical.js is looked up in the folder $ICALJS_DIR (a node_modules folder, or the folder holding
// one), else /tmp/icaljs/node_modules; install it there with
//   npm install --prefix /tmp/icaljs --no-audit --no-fund ical.js@2.2.1
// Exit code 3: ical.js is not installed (the test is skipped then).
"use strict";
const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

function loadIcal() {
  const candidates = [];
  if (process.env.ICALJS_DIR) {
    candidates.push(process.env.ICALJS_DIR, path.join(process.env.ICALJS_DIR, "node_modules"));
  }
  candidates.push("/tmp/icaljs/node_modules");
  for (const dir of candidates) {
    if (fs.existsSync(path.join(dir, "ical.js", "package.json"))) {
      return createRequire(path.join(dir, "noop.js"))("ical.js");
    }
  }
  return null;
}

const loaded = loadIcal();
if (loaded === null) {
  process.stderr.write("ical.js is not installed\n");
  process.exit(3);
}
const ICAL = loaded.default || loaded;

function text(component, name) {
  const value = component.getFirstPropertyValue(name);
  return value === null ? null : String(value);
}

const data = fs.readFileSync(process.argv[2], "utf8");
const calendar = new ICAL.Component(ICAL.parse(data));
const events = calendar.getAllSubcomponents("vevent").map((event) => {
  const categories = event.getAllProperties("categories").flatMap((p) => p.getValues());
  const alarms = event.getAllSubcomponents("valarm").map((alarm) => ({
    action: text(alarm, "action"),
    trigger: text(alarm, "trigger"),
    description: text(alarm, "description"),
  }));
  return {
    uid: text(event, "uid"),
    summary: text(event, "summary"),
    description: text(event, "description"),
    location: text(event, "location"),
    categories: categories.map(String),
    dtstart: text(event, "dtstart"),
    dtend: text(event, "dtend"),
    dtstamp: text(event, "dtstamp"),
    sequence: event.getFirstPropertyValue("sequence"),
    transp: text(event, "transp"),
    alarms,
  };
});
process.stdout.write(JSON.stringify({
  prodid: text(calendar, "prodid"),
  name: text(calendar, "x-wr-calname"),
  events,
}));
