// Enhancements only: every form works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Copy buttons beside secrets shown once.
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const field = document.getElementById(button.dataset.copy);
    if (!field) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      field.select();
      try {
        await navigator.clipboard.writeText(field.value);
      } catch {
        document.execCommand("copy");
      }
      button.textContent = "Copied";
      button.classList.add("copied");
      setTimeout(() => {
        button.textContent = "Copy";
        button.classList.remove("copied");
      }, 2000);
    });
  }

  // Ask before destructive actions.
  for (const button of document.querySelectorAll("button[data-confirm]")) {
    button.form.addEventListener("submit", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  }

  // The robot name matters only when "a new robot user" is chosen.
  const user = document.getElementById("user");
  const robot = document.getElementById("robot-field");
  if (user && robot) {
    const sync = () => {
      robot.hidden = user.value !== "new-robot";
      robot.querySelector(".hint").hidden = true;
      robot.querySelector("input").required = user.value === "new-robot";
    };
    user.addEventListener("change", sync);
    sync();
  }

  // The functions picker: filter, tick a whole section, keep the scope radio in step.
  const picker = document.querySelector(".functions");
  if (picker) setUpPicker(picker);
});

function setUpPicker(picker) {
  const filter = picker.querySelector("#function-filter");
  const count = picker.querySelector("#ticked-count");
  const noMatch = picker.querySelector(".no-match");
  const boxes = [...picker.querySelectorAll('input[name="methods"]')];
  const chosen = document.querySelector('input[name="scope"][value="chosen"]');
  const all = document.querySelector('input[name="scope"][value="all"]');
  picker.querySelector(".filter-row").hidden = false;

  const refresh = () => {
    const ticked = boxes.filter((box) => box.checked).length;
    count.textContent = ticked ? `${ticked} of ${boxes.length} ticked` : "none ticked";
    for (const section of picker.querySelectorAll("[data-section]")) {
      const own = [...section.querySelectorAll('input[name="methods"]')];
      const toggle = section.querySelector(".section-toggle");
      const on = own.filter((box) => box.checked).length;
      toggle.checked = on === own.length;
      toggle.indeterminate = on > 0 && on < own.length;
    }
  };

  for (const section of picker.querySelectorAll("[data-section]")) {
    const toggle = section.querySelector(".section-toggle");
    toggle.hidden = false;
    toggle.addEventListener("change", () => {
      for (const box of section.querySelectorAll('input[name="methods"]')) {
        if (!box.closest("label").hidden) box.checked = toggle.checked;
      }
      if (toggle.checked) chosen.checked = true;
      refresh();
    });
  }
  for (const box of boxes) {
    box.addEventListener("change", () => {
      if (box.checked) chosen.checked = true;
      refresh();
    });
  }
  all.addEventListener("change", () => {
    if (!all.checked) return;
    for (const box of boxes) box.checked = false;
    refresh();
  });
  chosen.addEventListener("change", () => {
    picker.open = true;
  });

  filter.addEventListener("input", () => {
    const words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const section of picker.querySelectorAll("[data-section]")) {
      const title = section.querySelector("legend").textContent.toLowerCase();
      let visible = 0;
      for (const label of section.querySelectorAll("label.fn")) {
        const text = `${title} ${label.textContent.toLowerCase()}`;
        label.hidden = !words.every((word) => text.includes(word));
        if (!label.hidden) visible += 1;
      }
      section.hidden = visible === 0;
      shown += visible;
    }
    noMatch.hidden = shown !== 0;
  });
  refresh();
}
