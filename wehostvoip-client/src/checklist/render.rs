//! Turns an [`Operation`] into the words an operator reads.

use serde::{Deserialize, Serialize};

use crate::{Carrier, CountryCode, Gateway, Operation};

/// Which console a step is done in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Console {
    /// "ISP console" or "Tenant console".
    pub name: String,
    /// Where to open it.
    pub url: String,
}

/// One form field and the value to put in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// The label on the screen.
    pub name: String,
    /// What to type or select.
    pub value: String,
}

/// A group of fields filled in together (the carrier form, one gateway form...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Form {
    /// What the form is ("Gateway 1 of 2: primary").
    pub title: String,
    /// Its fields, in screen order.
    pub fields: Vec<Field>,
}

/// One numbered thing the operator does in a console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Position in the list of pending steps, from 1.
    pub number: usize,
    /// Stable id (the same change always gets the same id), used to confirm the step.
    pub id: String,
    /// One line saying what the step achieves.
    pub title: String,
    /// The console to use.
    pub console: Console,
    /// Menu path, from the console's main menu.
    pub menu: Vec<String>,
    /// What to do, in order.
    pub actions: Vec<String>,
    /// Field values to enter.
    pub forms: Vec<Form>,
    /// How to check that it worked.
    pub verify: Vec<String>,
    /// Warnings and background the operator needs.
    pub notes: Vec<String>,
    /// The change as data (`None` for a [`ManualTask`], which changes no console object this crate
    /// models).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<Operation>,
    /// The command that confirms the step, when the application set one with
    /// [`Checklist::with_confirm_command`](crate::Checklist::with_confirm_command).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirm_command: Option<String>,
}

/// A step the operator does that is no change to a console object: a request to WeHostVoIP's
/// support, a firewall rule on the ISP's side. It is confirmed like any other step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualTask {
    /// One line saying what the step achieves.
    pub title: String,
    /// Where it is done (a menu path, or "a support ticket").
    pub menu: Vec<String>,
    /// What to do, in order.
    pub actions: Vec<String>,
    /// Values to type or send.
    pub forms: Vec<Form>,
    /// How to check that it worked.
    pub verify: Vec<String>,
    /// Background the operator needs.
    pub notes: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct Consoles {
    pub isp: String,
    pub tenant: String,
}

const EMPTY: &str = "(leave empty)";

fn field(name: &str, value: impl Into<String>) -> Field {
    Field {
        name: name.to_owned(),
        value: value.into(),
    }
}

fn opt<T: ToString>(v: Option<&T>) -> String {
    v.map_or_else(|| EMPTY.to_owned(), ToString::to_string)
}

fn yes_no(b: bool) -> &'static str {
    if b { "Yes" } else { "No" }
}

fn country_label(c: &CountryCode) -> String {
    let name = match c.as_str() {
        "US" => "United States",
        "CA" => "Canada",
        "BR" => "Brazil",
        "IN" => "India",
        "MX" => "Mexico",
        "GB" => "United Kingdom",
        "PT" => "Portugal",
        "ES" => "Spain",
        "DE" => "Germany",
        "FR" => "France",
        "AR" => "Argentina",
        "CO" => "Colombia",
        _ => return format!("the country with ISO code {c}"),
    };
    format!("{name} ({c})")
}

fn gateway_form(index: usize, total: usize, gw: &Gateway) -> Form {
    Form {
        title: format!("Gateway {} of {total}: {}", index + 1, gw.name),
        fields: vec![
            field("Name", gw.name.to_string()),
            field("Address", gw.address.to_string()),
            field(
                "Display",
                gw.display.clone().unwrap_or_else(|| EMPTY.into()),
            ),
            field("Outbound Strip", gw.outbound_strip.to_string()),
            field("Outbound Prefix", opt(gw.outbound_prefix.as_ref())),
            field("Inbound Strip", gw.inbound_strip.to_string()),
            field("Inbound Prefix", opt(gw.inbound_prefix.as_ref())),
            field("Source Domain", opt(gw.source_domain.as_ref())),
            field("Source User", opt(gw.source_user.as_ref())),
            field("Apply to", gw.apply_to.label()),
            field("Attributes", EMPTY),
            field("Add PAI", yes_no(gw.add_pai)),
        ],
    }
}

fn carrier_forms(c: &Carrier) -> Vec<Form> {
    let total = c.gateways.len();
    let mut forms: Vec<Form> = c
        .gateways
        .iter()
        .enumerate()
        .map(|(i, gw)| gateway_form(i, total, gw))
        .collect();
    let order = c
        .gateways
        .iter()
        .map(|g| g.name.to_string())
        .collect::<Vec<_>>()
        .join(", then ");
    forms.push(Form {
        title: format!("Carrier {}", c.name),
        fields: vec![
            field("Name", c.name.to_string()),
            field(
                "Description",
                c.description.clone().unwrap_or_else(|| EMPTY.into()),
            ),
            field("Gateways (in this order)", order),
        ],
    });
    forms
}

fn carrier_notes(c: &Carrier) -> Vec<String> {
    let mut notes = vec![
        "WeHostVoIP accepts only IP-authorised trunks: there is no username or password to enter."
            .to_owned(),
    ];
    if c.gateways.len() > 1 {
        notes.push(format!(
            "Gateway order matters: WeHostVoIP sends outbound calls to {} first and uses each next gateway as \
             the failover of the one before it. Every gateway address is also accepted as a source of inbound \
             calls, so a gateway added only to admit inbound calls still receives outbound calls when the ones \
             before it fail.",
            c.gateways[0].name
        ));
    }
    notes
}

fn carrier_verify(c: &Carrier) -> Vec<String> {
    let list = c
        .gateways
        .iter()
        .enumerate()
        .map(|(i, g)| format!("{}. {} ({})", i + 1, g.name, g.address))
        .collect::<Vec<_>>()
        .join("; ");
    vec![
        format!("The Carriers list shows {}.", c.name),
        format!("Open {}: its gateways are, in this order: {list}.", c.name),
        "Open each gateway: every field matches the table above.".to_owned(),
    ]
}

fn tenant_login(tenant: &impl std::fmt::Display) -> String {
    format!("Log in to the tenant console as an administrator of tenant {tenant}.")
}

/// Builds the step for an operation (number and id are filled in by the caller).
#[allow(clippy::too_many_lines)] // one arm per operation, each a screen of text
pub(crate) fn describe(op: &Operation, consoles: &Consoles, number: usize, id: String) -> Step {
    let isp = Console {
        name: "ISP console".into(),
        url: consoles.isp.clone(),
    };
    let tenant_console = Console {
        name: "Tenant console".into(),
        url: consoles.tenant.clone(),
    };
    let s = |s: &str| s.to_owned();
    let (title, console, menu, actions, forms, verify, notes) = match op {
        Operation::CreateCarrier { carrier } => (
            format!(
                "Create carrier {} with {} gateway{}",
                carrier.name,
                carrier.gateways.len(),
                if carrier.gateways.len() == 1 { "" } else { "s" }
            ),
            isp,
            vec![s("Carriers"), s("Add")],
            vec![
                s("Open Carriers and start a new carrier."),
                s(
                    "Create every gateway below first, in the order given: the console saves the gateways with the carrier, so all of them must exist before you save.",
                ),
                s("Fill in the carrier fields, select the gateways in the order given, and save."),
            ],
            carrier_forms(carrier),
            carrier_verify(carrier),
            carrier_notes(carrier),
        ),
        Operation::UpdateCarrier { carrier } => (
            format!(
                "Update carrier {} so its gateways are exactly the ones below",
                carrier.name
            ),
            isp,
            vec![s("Carriers"), carrier.name.to_string(), s("Edit")],
            vec![
                format!("Open Carriers and edit {}.", carrier.name),
                s(
                    "Make its gateways exactly the ones below, in the order given: edit the ones that exist, add the missing ones, remove any other.",
                ),
                s("Set the carrier fields and save."),
            ],
            carrier_forms(carrier),
            carrier_verify(carrier),
            carrier_notes(carrier),
        ),
        Operation::DeleteCarrier { carrier } => (
            format!("Delete carrier {carrier}"),
            isp,
            vec![s("Carriers"), carrier.to_string(), s("Delete")],
            vec![format!(
                "Open Carriers, select {carrier}, delete it and confirm."
            )],
            vec![],
            vec![format!("The Carriers list no longer shows {carrier}.")],
            vec![s(
                "A carrier still selected by a tenant or a service plan cannot be removed: move those to another carrier first.",
            )],
        ),
        Operation::SetCallerId { carrier, caller_id } => (
            format!("Set caller ID {caller_id} on carrier {carrier}"),
            isp,
            vec![s("Carriers"), carrier.to_string(), s("Gateways")],
            vec![
                format!("Open Carriers and edit {carrier}."),
                format!(
                    "Edit each of its gateways: set Source User to {caller_id}, save the gateway."
                ),
                s("Save the carrier."),
            ],
            vec![Form {
                title: s("Every gateway of the carrier"),
                fields: vec![field("Source User", caller_id.to_string())],
            }],
            vec![
                format!("Every gateway of {carrier} shows Source User {caller_id}."),
                s("Place an outbound test call: the called phone shows this number."),
            ],
            vec![s(
                "Use a number you own on the trunk's account (the runbook recommends a number bought on Plivo), in +E.164 form: Plivo needs no conversion.",
            )],
        ),
        Operation::BindTenantCarrier { tenant, carrier } => (
            format!("Bind tenant {tenant} to carrier {carrier}"),
            isp,
            vec![s("Tenants"), tenant.to_string(), s("Edit")],
            vec![
                format!("Open Tenants and edit {tenant}."),
                format!("Select carrier {carrier} and save."),
            ],
            vec![Form {
                title: format!("Tenant {tenant}"),
                fields: vec![field("Carrier", carrier.to_string())],
            }],
            vec![format!(
                "The Tenants list shows {tenant} with carrier {carrier}."
            )],
            vec![format!(
                "The tenant's service plan (Service Plans) also selects a carrier: check that it is {carrier} too."
            )],
        ),
        Operation::UnbindTenantCarrier { tenant, previous } => {
            let which = previous
                .as_ref()
                .map_or_else(|| s("its carrier"), |c| format!("carrier {c}"));
            (
                format!("Take {which} off tenant {tenant}"),
                isp,
                vec![s("Tenants"), tenant.to_string(), s("Edit")],
                vec![
                    format!("Open Tenants and edit {tenant}."),
                    s(
                        "Clear the Carrier field and save. If the console insists on a carrier, select the one the tenant used before this interconnect.",
                    ),
                ],
                vec![Form {
                    title: format!("Tenant {tenant}"),
                    fields: vec![field("Carrier", "(none, or the tenant's previous carrier)")],
                }],
                vec![format!(
                    "The Tenants list no longer shows {tenant} with {which}."
                )],
                vec![s(
                    "Until a carrier is selected again, the tenant's outbound calls have no way out.",
                )],
            )
        }
        Operation::EnsureSecurityGroup { tenant, group } => {
            let mut fields: Vec<Field> = vec![field("Name", group.name.to_string())];
            fields.extend(
                group
                    .countries
                    .iter()
                    .map(|c| field("Country", country_label(c))),
            );
            fields.extend(
                group
                    .prefixes
                    .iter()
                    .map(|p| field("Prefix", p.to_string())),
            );
            let mut notes = vec![s(
                "All international destinations are disabled by default: only what the group lists can be called.",
            )];
            if !group.prefixes.is_empty() {
                notes.push(s("Prefixes are E.164 digits without '+'. Selecting a country covers its area codes only, not its toll-free numbers: North American toll-free numbers (800, 888...) need the prefix 18."));
            }
            (
                format!(
                    "Make security group {} of tenant {tenant} allow what is listed",
                    group.name
                ),
                tenant_console,
                vec![s("Security Groups"), group.name.to_string()],
                vec![
                    tenant_login(tenant),
                    format!(
                        "Open Security Groups. Edit {} (create it with this name if it does not exist).",
                        group.name
                    ),
                    s(
                        "Add each country and prefix below that is not there yet. Leave entries that are already there. Save.",
                    ),
                ],
                vec![Form {
                    title: format!("Security group {}", group.name),
                    fields,
                }],
                vec![
                    format!(
                        "Security group {} lists every country and prefix above.",
                        group.name
                    ),
                    s(
                        "Place a test call to a number of each country and, for prefix 18, to any 800 number: it connects.",
                    ),
                ],
                notes,
            )
        }
        Operation::AssignSecurityGroup {
            tenant,
            extension,
            group,
        } => (
            format!("Give extension {extension} of tenant {tenant} security group {group}"),
            tenant_console,
            vec![s("Subscribers"), extension.to_string(), s("Edit")],
            vec![
                tenant_login(tenant),
                format!("Open Subscribers and edit the subscriber whose Alias is {extension}."),
                format!("Select security group {group} and save."),
            ],
            vec![Form {
                title: format!("Subscriber {extension}"),
                fields: vec![field("Security Group", group.to_string())],
            }],
            vec![format!(
                "Subscriber {extension} shows security group {group}."
            )],
            vec![],
        ),
        Operation::AddInventoryNumber { number } | Operation::UpdateInventoryNumber { number } => {
            let add = matches!(op, Operation::AddInventoryNumber { .. });
            (
                if add {
                    format!("Add {} to the number inventory", number.number)
                } else {
                    format!("Update {} in the number inventory", number.number)
                },
                isp,
                if add {
                    vec![s("Numbers"), s("Add")]
                } else {
                    vec![s("Numbers"), number.number.to_string(), s("Edit")]
                },
                vec![
                    if add {
                        s("Open Numbers and add a number.")
                    } else {
                        format!("Open Numbers and edit {}.", number.number)
                    },
                    s("Fill in the fields below and save."),
                ],
                vec![Form {
                    title: format!("Number {}", number.number),
                    fields: vec![
                        field("Number", number.number.to_string()),
                        field("Source", number.source.clone()),
                        field("Type", number.number_type.label()),
                        field("Price", number.price.to_string()),
                        field("Vendor Price", number.vendor_price.to_string()),
                        field("VOICE", yes_no(number.capabilities.voice)),
                        field("SMS", yes_no(number.capabilities.sms)),
                    ],
                }],
                vec![format!(
                    "The Numbers list shows {} with the values above.",
                    number.number
                )],
                vec![s(
                    "Type the number in E.164 form with the leading '+'. Type changes the billing.",
                )],
            )
        }
        Operation::RemoveInventoryNumber { number } => (
            format!("Remove {number} from the number inventory"),
            isp,
            vec![s("Numbers"), number.to_string(), s("Delete")],
            vec![format!(
                "Open Numbers, select {number}, delete it and confirm."
            )],
            vec![],
            vec![format!("The Numbers list no longer shows {number}.")],
            vec![s(
                "A number still assigned in a tenant's Phone Numbers must be unassigned first.",
            )],
        ),
        Operation::AssignNumber {
            tenant,
            number,
            extension,
        } => (
            format!("Send calls to {number} to extension {extension} of tenant {tenant}"),
            tenant_console,
            vec![s("Phone Numbers"), s("Create Number")],
            vec![
                tenant_login(tenant),
                s("Open Phone Numbers and choose Create Number."),
                format!(
                    "Select {number} from the tenant's numbers and send it to the user with extension {extension}. Save."
                ),
            ],
            vec![Form {
                title: format!("Phone number {number}"),
                fields: vec![
                    field("Number", number.to_string()),
                    field("Destination", format!("User (extension {extension})")),
                ],
            }],
            vec![
                format!("Phone Numbers lists {number} going to extension {extension}."),
                format!(
                    "Call {number} from an outside phone: extension {extension} rings and shows the caller's number."
                ),
            ],
            vec![s(
                "The number must already be in the ISP number inventory (ISP console, Numbers).",
            )],
        ),
        Operation::UnassignNumber { tenant, number } => (
            format!("Take {number} off the phone numbers of tenant {tenant}"),
            tenant_console,
            vec![s("Phone Numbers"), number.to_string(), s("Delete")],
            vec![
                tenant_login(tenant),
                format!("Open Phone Numbers, select {number}, delete it and confirm."),
            ],
            vec![],
            vec![
                format!("Phone Numbers no longer lists {number}."),
                format!("The ISP console's Numbers list still shows {number}."),
            ],
            vec![],
        ),
    };
    Step {
        number,
        id,
        title,
        console,
        menu,
        actions,
        forms,
        verify,
        notes,
        operation: Some(op.clone()),
        confirm_command: None,
    }
}

/// A manual task as a numbered step in the ISP console.
pub(crate) fn describe_manual(
    task: &ManualTask,
    consoles: &Consoles,
    number: usize,
    id: String,
) -> Step {
    Step {
        number,
        id,
        title: task.title.clone(),
        console: Console {
            name: "ISP console".into(),
            url: consoles.isp.clone(),
        },
        menu: task.menu.clone(),
        actions: task.actions.clone(),
        forms: task.forms.clone(),
        verify: task.verify.clone(),
        notes: task.notes.clone(),
        operation: None,
        confirm_command: None,
    }
}

/// Renders steps as a Markdown document for a person.
pub(crate) fn markdown(steps: &[Step], consoles: &Consoles, confirmed: usize) -> String {
    use std::fmt::Write as _;
    let mut out = String::from("# WeHostVoIP checklist\n\n");
    if steps.is_empty() {
        let _ = writeln!(
            out,
            "Nothing left to do: all {confirmed} steps are confirmed."
        );
        return out;
    }
    let _ = writeln!(
        out,
        "{} step{} to do ({confirmed} already confirmed). WeHostVoIP has no API: each step is done by hand in \
         one of its two web consoles.\n",
        steps.len(),
        if steps.len() == 1 { "" } else { "s" }
    );
    let _ = writeln!(
        out,
        "- **ISP console**: {} (log in with your ISP namespace and an administrator account)",
        consoles.isp
    );
    let _ = writeln!(
        out,
        "- **Tenant console**: {} (log in as an administrator of the tenant named in the step)\n",
        consoles.tenant
    );
    out.push_str(
        "Do the steps in order. After each one, check it as described under **Verify**, then confirm it by its \
         id: confirmed steps are left out of the next run.\n",
    );
    for step in steps {
        let _ = writeln!(out, "\n## Step {}: {}\n", step.number, step.title);
        let _ = writeln!(
            out,
            "- Console: {} ({})",
            step.console.name, step.console.url
        );
        let _ = writeln!(out, "- Menu: {}", step.menu.join(" → "));
        let _ = writeln!(out, "- Id: `{}`\n", step.id);
        for (i, action) in step.actions.iter().enumerate() {
            let _ = writeln!(out, "{}. {action}", i + 1);
        }
        for form in &step.forms {
            let _ = writeln!(out, "\n**{}**\n", form.title);
            out.push_str("| Field | Value |\n|---|---|\n");
            for f in &form.fields {
                let _ = writeln!(out, "| {} | {} |", cell(&f.name), cell(&f.value));
            }
        }
        out.push_str("\n**Verify**\n\n");
        for v in &step.verify {
            let _ = writeln!(out, "- [ ] {v}");
        }
        for n in &step.notes {
            let _ = writeln!(out, "\n> **Note:** {n}");
        }
        if let Some(cmd) = &step.confirm_command {
            let _ = writeln!(out, "\n**Confirm** when done and verified:\n\n    {cmd}");
        }
    }
    out
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}
